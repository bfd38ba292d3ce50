import { useSignal } from "@preact/signals";
import type { TargetedEvent } from "preact";
import { useEffect, useMemo } from "preact/hooks";
import { useLocation } from "preact-iso";
import { ApiError } from "../../api/errors";
import { type AudienceList, audienceApi, type FieldDef, type Segment } from "../../api/segments-imports";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { EditorsOnly } from "../../components/editors-only";
import { ErrorBanner } from "../../components/error-banner";
import { Field } from "../../components/field";
import { Page } from "../../components/page";
import { useToast } from "../../components/toast";
import { t } from "../../i18n";
import { Trans } from "../../i18n/trans";
import { canEdit } from "../../session";
import { SegmentBuilder } from "./builder";
import { compile, decompile, type GroupNode, hasConditions, newGroup, placeIssues } from "./model";
import { LivePreview } from "./preview";
import "./segments.css";

interface Loaded {
  fields: FieldDef[];
  lists: AudienceList[];
  segment: Segment | null;
}

/** `/segments/new` or `/segments/:id`: load what the builder needs, then edit. */
export function SegmentPage({ id = "new" }: { id?: string }) {
  const loaded = useSignal<Loaded | null>(null);
  const failure = useSignal<unknown>(null);
  const isNew = id === "new";

  const load = () => {
    failure.value = null;
    loaded.value = null;
    Promise.all([
      audienceApi.fields.all(),
      audienceApi.lists.all(),
      audienceApi.lists.archived().catch(() => []),
      isNew ? Promise.resolve(null) : audienceApi.segments.get(id),
    ])
      .then(([fields, live, archived, segment]) => {
        const lists = [
          ...live,
          ...archived.map((list) => ({ ...list, name: t("segments.editor.archived", { name: list.name }) })),
        ];
        loaded.value = { fields, lists, segment };
      })
      .catch((error: unknown) => {
        failure.value = error;
      });
  };
  useEffect(load, [id]);

  if (isNew && !canEdit.value)
    return (
      <EditorsOnly title={t("segments.list.new")} what={t("segments.editor.what")}>
        {null}
      </EditorsOnly>
    );
  const data = loaded.value;
  if (!data) {
    return (
      <Page title={isNew ? t("segments.list.new") : t("segments.editor.segment")}>
        <ErrorBanner error={failure.value} onRetry={load} />
        {!failure.value && (
          <p class="muted" aria-busy="true">
            {t("common.loading")}
          </p>
        )}
      </Page>
    );
  }
  return <SegmentEditor key={data.segment?.id ?? "new"} {...data} />;
}

function SegmentEditor({ fields, lists, segment }: Loaded) {
  const { route } = useLocation();
  const notify = useToast();
  const name = useSignal(segment?.name ?? "");
  const savedName = useSignal(segment?.name ?? "");
  const root = useSignal<GroupNode>(segment ? decompile(segment.rules) : newGroup("and"));
  const serverError = useSignal<ApiError | null>(null);
  const saveFailure = useSignal<unknown>(null);
  const nameError = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  const deleting = useSignal(false);

  const compiled = useMemo(() => compile(root.value, fields), [root.value, fields]);
  const complete = compiled.problems.length === 0 && hasConditions(root.value);
  const hints = new Map(compiled.problems.map((problem) => [problem.id, problem.messageKey]));
  const messages = serverError.value
    ? placeIssues(ruleIssues(serverError.value), compiled.paths, root.value.id)
    : new Map<string, string[]>();

  const save = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy.value) return;
    nameError.value = undefined;
    saveFailure.value = null;
    if (!complete) {
      saveFailure.value = new Error(t("segments.editor.incomplete"));
      return;
    }
    busy.value = true;
    try {
      const body = { name: name.value.trim(), rules: compiled.rule };
      if (segment) {
        savedName.value = (await audienceApi.segments.update(segment.id, body)).name;
        notify(t("segments.editor.saved"));
      } else {
        const created = await audienceApi.segments.create(body);
        notify(t("segments.editor.created", { name: created.name }));
        route(`/segments/${encodeURIComponent(created.id)}`, true);
      }
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 400) {
        nameError.value = caught.issues.find((issue) => issue.path[0] === "name")?.message;
        if (ruleIssues(caught).length > 0) serverError.value = caught;
        if (!nameError.value && ruleIssues(caught).length === 0) saveFailure.value = caught;
      } else if (caught instanceof ApiError && caught.status === 409) {
        nameError.value = caught.message;
      } else {
        saveFailure.value = caught;
      }
    } finally {
      busy.value = false;
    }
  };

  return (
    <Page
      title={savedName.value || t("segments.list.new")}
      intro={t("segments.editor.intro")}
      actions={
        <a class="button" href="/segments">
          {t("segments.editor.back")}
        </a>
      }
    >
      <form class="segment-editor" onSubmit={save} aria-label={t("segments.editor.segment")} noValidate>
        <div class="card form-card">
          <Field
            id="segment-name"
            label={t("common.name")}
            value={name.value}
            error={nameError.value}
            required
            onInput={(value) => {
              name.value = value;
              // The name's message (required, too long, taken) goes once the name is edited.
              nameError.value = undefined;
            }}
          />
        </div>
        <div class="segment-editor__body">
          <section class="card" aria-labelledby="rules-title">
            <h2 id="rules-title">{t("segments.builder.rules")}</h2>
            <SegmentBuilder
              root={root.value}
              fields={fields}
              lists={lists}
              messages={messages}
              hints={hints}
              onChange={(next) => {
                root.value = next;
              }}
            />
          </section>
          <LivePreview
            rule={complete ? compiled.rule : null}
            onIssues={(error) => {
              serverError.value = error;
            }}
          />
        </div>
        <ErrorBanner error={saveFailure.value} />
        {!canEdit.value && (
          <p class="muted" data-testid="read-only">
            {t("segments.editor.readOnly")}
          </p>
        )}
        <div class="form__actions segment-editor__actions" hidden={!canEdit.value}>
          {segment && (
            <button type="button" class="button button--danger-quiet" onClick={() => (deleting.value = true)}>
              {t("segments.editor.delete")}
            </button>
          )}
          <button type="submit" class="button button--primary" disabled={busy.value}>
            {busy.value
              ? t("common.saving")
              : segment
                ? t("common.saveChanges")
                : t("segments.editor.create")}
          </button>
        </div>
      </form>
      {segment && deleting.value && (
        <ConfirmDialog
          title={t("segments.editor.confirmTitle")}
          confirmLabel={t("segments.editor.delete")}
          onClose={() => (deleting.value = false)}
          onConfirm={async () => {
            await audienceApi.segments.remove(segment.id);
            notify(t("segments.editor.deleted", { name: segment.name }));
            route("/segments");
          }}
        >
          <p>
            <Trans
              k="segments.editor.confirmBody"
              values={{ name: segment.name }}
              parts={[(text) => <strong>{text}</strong>]}
            />
          </p>
        </ConfirmDialog>
      )}
    </Page>
  );
}

/**
 * The issues of a 400 that concern the rules (not the name). Paths may come as arrays (zod) or as
 * dotted strings ("rules.and.1.value"); a rule error with no usable issue goes on the root group.
 */
function ruleIssues(error: ApiError): RuleIssue[] {
  const details = Array.isArray(error.details) ? error.details : [];
  const issues = details.flatMap((detail): RuleIssue[] => {
    if (typeof detail !== "object" || detail === null) return [];
    const { path, message } = detail as { path?: unknown; message?: unknown };
    if (typeof message !== "string") return [];
    const parts = Array.isArray(path)
      ? path.filter((part): part is string | number => typeof part === "string" || typeof part === "number")
      : typeof path === "string"
        ? path.split(/[.[\]]+/).filter(Boolean)
        : [];
    if (parts[0] === "name") return [];
    // The API starts each message with the node's path ("and[1].value: …"); the node shows it already.
    const text = parts.length > 0 ? message.replace(/^[A-Za-z]+(?:\[\d+\]|\.[A-Za-z]+)*: /, "") : message;
    return [{ path: parts, message: text }];
  });
  const named = error.issues.some((issue) => issue.path[0] === "name");
  return issues.length > 0 || named ? issues : [{ path: [], message: error.message }];
}

interface RuleIssue {
  path: (string | number)[];
  message: string;
}
