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
        const lists = [...live, ...archived.map((list) => ({ ...list, name: `${list.name} (archived)` }))];
        loaded.value = { fields, lists, segment };
      })
      .catch((error: unknown) => {
        failure.value = error;
      });
  };
  useEffect(load, [id]);

  if (isNew && !canEdit.value)
    return (
      <EditorsOnly title="New segment" what="segments">
        {null}
      </EditorsOnly>
    );
  const data = loaded.value;
  if (!data) {
    return (
      <Page title={isNew ? "New segment" : "Segment"}>
        <ErrorBanner error={failure.value} onRetry={load} />
        {!failure.value && (
          <p class="muted" aria-busy="true">
            Loading…
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
  const savedName = useSignal(segment?.name ?? "New segment");
  const root = useSignal<GroupNode>(segment ? decompile(segment.rules) : newGroup("and"));
  const serverError = useSignal<ApiError | null>(null);
  const saveFailure = useSignal<unknown>(null);
  const nameError = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  const deleting = useSignal(false);

  const compiled = useMemo(() => compile(root.value, fields), [root.value, fields]);
  const complete = compiled.problems.length === 0 && hasConditions(root.value);
  const hints = new Map(compiled.problems.map((problem) => [problem.id, problem.message]));
  const messages = serverError.value
    ? placeIssues(ruleIssues(serverError.value), compiled.paths, root.value.id)
    : new Map<string, string[]>();

  const save = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy.value) return;
    nameError.value = undefined;
    saveFailure.value = null;
    if (!complete) {
      saveFailure.value = new Error("Complete every condition (see the hints under them) before saving.");
      return;
    }
    busy.value = true;
    try {
      const body = { name: name.value.trim(), rules: compiled.rule };
      if (segment) {
        savedName.value = (await audienceApi.segments.update(segment.id, body)).name;
        notify("Segment saved.");
      } else {
        const created = await audienceApi.segments.create(body);
        notify(`Segment “${created.name}” created.`);
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
      title={savedName.value}
      intro="Who is in this segment is worked out when it is used, from the rules below."
      actions={
        <a class="button" href="/segments">
          Back to segments
        </a>
      }
    >
      <form class="segment-editor" onSubmit={save} aria-label="Segment" noValidate>
        <div class="card form-card">
          <Field
            id="segment-name"
            label="Name"
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
            <h2 id="rules-title">Rules</h2>
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
            Read only: your role can try rules here and see who they match, but not save them.
          </p>
        )}
        <div class="form__actions segment-editor__actions" hidden={!canEdit.value}>
          {segment && (
            <button type="button" class="button button--danger-quiet" onClick={() => (deleting.value = true)}>
              Delete segment
            </button>
          )}
          <button type="submit" class="button button--primary" disabled={busy.value}>
            {busy.value ? "Saving…" : segment ? "Save changes" : "Create segment"}
          </button>
        </div>
      </form>
      {segment && deleting.value && (
        <ConfirmDialog
          title="Delete this segment?"
          confirmLabel="Delete segment"
          onClose={() => (deleting.value = false)}
          onConfirm={async () => {
            await audienceApi.segments.remove(segment.id);
            notify(`Segment “${segment.name}” deleted.`);
            route("/segments");
          }}
        >
          <p>
            <strong>{segment.name}</strong> will be deleted. Subscribers are not affected; campaigns that
            target this segment may no longer be sendable.
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
