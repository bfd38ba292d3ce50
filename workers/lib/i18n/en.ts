/**
 * English: the reference catalogue of the public pages and system mail. `{name}` marks a value
 * put in at run time; every language has exactly these keys (the type checks it, and
 * tests/unit/public-i18n.test.ts too).
 */
export const en = {
  "page.notFound.title": "Link not valid",
  "page.notFound.body":
    "This link is not valid or has expired. If you copied it from an email, check that it is complete.",
  "page.thanks.checkTitle": "Check your inbox",
  "page.thanks.checkSent": "Thanks! We have sent you an email with a link to confirm your subscription.",
  "page.thanks.checkSpam": "If it does not arrive within a few minutes, look in your spam folder.",
  "page.thanks.title": "Thanks for subscribing",
  "page.thanks.onList": "You are on the list.",
  "page.thanks.comeback":
    "If this address had unsubscribed before, we have sent it a link to confirm that you want to come back.",
  "page.confirmed.title": "Subscription confirmed",
  "page.confirmed.body": "Thanks, your subscription is confirmed:",
  "page.unsubscribe.title": "Unsubscribe",
  "page.unsubscribe.fromList": "Unsubscribe {email} from {list}?",
  "page.unsubscribe.fromAll": "Unsubscribe {email} from all our lists?",
  "page.unsubscribe.button": "Unsubscribe",
  "page.unsubscribe.or": "Or {link}.",
  "page.unsubscribe.chooseLists": "choose which lists you receive",
  "page.unsubscribed.title": "You are unsubscribed",
  "page.unsubscribed.fromList": "You will no longer receive mail from {list}.",
  "page.unsubscribed.fromAll": "You will no longer receive mail from us.",
  "page.unsubscribed.manage": "Manage your subscriptions",
  "page.preferences.title": "Your subscriptions",
  "page.preferences.saved": "Your choices are saved.",
  "page.preferences.lists": "Lists {email} receives:",
  "page.preferences.none": "There are no lists to choose from.",
  "page.preferences.save": "Save",
  "page.preferences.unsubscribeAll": "Unsubscribe from everything",
  "page.preview.title": "This is a preview link",
  "page.preview.body":
    "Previews and test messages carry stand-in links that do nothing. In a real message this link works for its recipient.",
  "page.formError.wait": "Please wait a moment",
  "page.formError.check": "Please check the form",
  "page.formError.back": "Back to the form",
  "signup.email": "Email",
  "signup.name": "Name",
  "signup.choose": "Choose…",
  "signup.trap": "Leave this empty",
  "signup.button": "Subscribe",
  "signup.form": "Sign up",
  "signup.doubleOptIn": "We will send you an email to confirm your subscription.",
  "mail.hello": "Hello,",
  "mail.helloName": "Hello {name},",
  "mail.paste": "Or paste this address into your browser: {link}",
  "confirm.subjectOne": 'Confirm your subscription to "{list}"',
  "confirm.subjectMany": "Confirm your subscription to {count} lists",
  "confirm.ask": "Please confirm that you want to receive mail from: {lists}.",
  "confirm.askList": "Please confirm that you want to receive mail from:",
  "confirm.link": "Confirm: {url}",
  "confirm.button": "Confirm my subscription",
  "confirm.ignore": "If you did not ask for this, ignore this message and nothing will be sent to you.",
  "invite.subject": "You are invited to Edgepost",
  "invite.action": "Set your password",
  "invite.by": "{inviter} invited you to Edgepost as an {role}.",
  "invite.anonymous": "You are invited to Edgepost as an {role}.",
  "invite.choose":
    "Choose your password with the link below; it works once, for {days} days. Then sign in with {email}.",
  "role.owner": "owner",
  "role.admin": "admin",
  "role.editor": "editor",
  "role.analyst": "analyst",
  "reset.subject": "Reset your Edgepost password",
  "reset.action": "Choose a new password",
  "reset.asked": "Someone (hopefully you) asked to reset the password of this Edgepost account.",
  "reset.choose":
    "Choose a new one with the link below; it works once, within {minutes} minutes, and signs you out everywhere else.",
  "reset.ignore": "If you did not ask for this, ignore this mail: your password stays as it is.",
  "notice.subject": "Failed sign-ins to your Edgepost account",
  "notice.attempts":
    "There were more than {max} unsuccessful attempts to sign in to {email} within 15 minutes{from}.",
  "notice.from": ", the latest from {ip}",
  "notice.until":
    "Until {until}, sign-ins to this account are refused, except from networks you signed in from in the last 30 days. After that they work as usual: nothing is locked for good.",
  "notice.advice":
    "If this was you, there is nothing to do. If not, someone may be guessing your password: make sure it is long and not used anywhere else.",
};

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
