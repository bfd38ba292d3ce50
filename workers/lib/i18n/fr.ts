import type { Catalogue } from "./en";

export const fr: Catalogue = {
  "page.notFound.title": "Lien non valide",
  "page.notFound.body":
    "Ce lien n’est pas valide ou a expiré. Si vous l’avez copié depuis un e-mail, vérifiez qu’il est complet.",
  "page.thanks.checkTitle": "Consultez votre boîte de réception",
  "page.thanks.checkSent":
    "Merci ! Nous vous avons envoyé un e-mail avec un lien pour confirmer votre inscription.",
  "page.thanks.checkSpam":
    "S’il n’arrive pas d’ici quelques minutes, regardez dans vos courriers indésirables.",
  "page.thanks.title": "Merci de votre inscription",
  "page.thanks.onList": "Vous êtes inscrit à la liste.",
  "page.thanks.comeback":
    "Si cette adresse s’était désinscrite auparavant, nous lui avons envoyé un lien pour confirmer que vous souhaitez revenir.",
  "page.confirmed.title": "Inscription confirmée",
  "page.confirmed.body": "Merci, votre inscription est confirmée :",
  "page.unsubscribe.title": "Se désinscrire",
  "page.unsubscribe.fromList": "Désinscrire {email} de {list} ?",
  "page.unsubscribe.fromAll": "Désinscrire {email} de toutes nos listes ?",
  "page.unsubscribe.button": "Se désinscrire",
  "page.unsubscribe.or": "Ou {link}.",
  "page.unsubscribe.chooseLists": "choisissez les listes que vous recevez",
  "page.unsubscribed.title": "Vous êtes désinscrit",
  "page.unsubscribed.fromList": "Vous ne recevrez plus d’e-mails de {list}.",
  "page.unsubscribed.fromAll": "Vous ne recevrez plus d’e-mails de notre part.",
  "page.unsubscribed.manage": "Gérer vos abonnements",
  "page.preferences.title": "Vos abonnements",
  "page.preferences.saved": "Vos choix sont enregistrés.",
  "page.preferences.lists": "Listes reçues par {email} :",
  "page.preferences.none": "Aucune liste n’est proposée.",
  "page.preferences.save": "Enregistrer",
  "page.preferences.unsubscribeAll": "Se désinscrire de tout",
  "page.preview.title": "Ceci est un lien d’aperçu",
  "page.preview.body":
    "Les aperçus et les messages de test contiennent des liens fictifs qui ne font rien. Dans un vrai message, ce lien fonctionne pour son destinataire.",
  "page.formError.wait": "Merci de patienter un instant",
  "page.formError.check": "Merci de vérifier le formulaire",
  "page.formError.back": "Retour au formulaire",
  "signup.email": "E-mail",
  "signup.name": "Nom",
  "signup.choose": "Choisir…",
  "signup.trap": "Laissez ce champ vide",
  "signup.button": "S’inscrire",
  "signup.form": "Inscription",
  "signup.doubleOptIn": "Nous vous enverrons un e-mail pour confirmer votre inscription.",
  "mail.hello": "Bonjour,",
  "mail.helloName": "Bonjour {name},",
  "mail.paste": "Ou collez cette adresse dans votre navigateur : {link}",
  "confirm.subjectOne": "Confirmez votre inscription à « {list} »",
  "confirm.subjectMany": "Confirmez votre inscription à {count} listes",
  "confirm.ask": "Merci de confirmer que vous souhaitez recevoir les e-mails de : {lists}.",
  "confirm.askList": "Merci de confirmer que vous souhaitez recevoir les e-mails de :",
  "confirm.link": "Confirmer : {url}",
  "confirm.button": "Confirmer mon inscription",
  "confirm.ignore":
    "Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : nous ne vous enverrons rien.",
  "invite.subject": "Vous êtes invité sur Edgepost",
  "invite.action": "Définir votre mot de passe",
  "invite.by": "{inviter} vous a invité sur Edgepost en tant que {role}.",
  "invite.anonymous": "Vous êtes invité sur Edgepost en tant que {role}.",
  "invite.choose":
    "Choisissez votre mot de passe avec le lien ci-dessous ; il fonctionne une seule fois, pendant {days} jours. Connectez-vous ensuite avec {email}.",
  "role.owner": "propriétaire",
  "role.admin": "administrateur",
  "role.editor": "éditeur",
  "role.analyst": "analyste",
  "reset.subject": "Réinitialisez votre mot de passe Edgepost",
  "reset.action": "Choisir un nouveau mot de passe",
  "reset.asked":
    "Quelqu’un (vous, espérons-le) a demandé la réinitialisation du mot de passe de ce compte Edgepost.",
  "reset.choose":
    "Choisissez-en un nouveau avec le lien ci-dessous ; il fonctionne une seule fois, dans les {minutes} minutes, et vous déconnecte partout ailleurs.",
  "reset.ignore":
    "Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : votre mot de passe reste inchangé.",
  "notice.subject": "Échecs de connexion à votre compte Edgepost",
  "notice.attempts": "Plus de {max} tentatives de connexion à {email} ont échoué en 15 minutes{from}.",
  "notice.from": ", la dernière depuis {ip}",
  "notice.until":
    "Jusqu’au {until}, les connexions à ce compte sont refusées, sauf depuis les réseaux à partir desquels vous vous êtes connecté ces 30 derniers jours. Ensuite, tout fonctionne normalement : rien n’est bloqué définitivement.",
  "notice.advice":
    "Si c’était vous, vous n’avez rien à faire. Sinon, quelqu’un essaie peut-être de deviner votre mot de passe : assurez-vous qu’il est long et que vous ne l’utilisez nulle part ailleurs.",
};
