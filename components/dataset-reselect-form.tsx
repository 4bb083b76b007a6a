"use client";
import { useActionState, useState } from "react";
import { reselectAction, type FormState } from "@/app/datasets/actions";
import type { TargetOption } from "@/lib/inheritance/spec";
import { TargetOptions } from "./dataset-form";
import { Field, FormAlert, submittedForm } from "./field";
import { DIRECTION_CHOICES } from "@/lib/inheritance/dataset-form";

type Choice = { rule: string; target: string; direction: string; targetValue: string };

/** Choose another target, direction or rule: computed from the stored candidates, without generation requests. */
export function DatasetReselectForm({
  datasetId,
  targets,
  current,
}: {
  datasetId: string;
  targets: TargetOption[];
  current: { rule: string; target: string; direction: string | null; targetValue: number | null };
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(reselectAction, null);
  const { errors, values: v, one: str } = submittedForm(state);
  // React resets a form after its action runs: a refused submit remounts the fields with what was submitted.
  const initial: Choice = {
    rule: str("rule", current.rule),
    target: str("target", current.target),
    direction: str("direction", current.direction ?? "max"),
    targetValue: str("targetValue", current.targetValue === null ? "" : String(current.targetValue)),
  };
  return (
    <form action={action} className="stack" aria-label="Re-select" noValidate key={JSON.stringify(v)}>
      <input type="hidden" name="datasetId" value={datasetId} />
      <FormAlert state={state} fieldSummary={false} />
      <ReselectFields targets={targets} initial={initial} errors={errors} />
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Selecting…" : "Re-select"}
        </button>
        <span className="muted">Uses the stored candidates: no new generation.</span>
      </div>
    </form>
  );
}

function ReselectFields({ targets, initial, errors }: { targets: TargetOption[]; initial: Choice; errors: Record<string, string> }) {
  const [rule, setRule] = useState(initial.rule);
  const [target, setTarget] = useState(initial.target);
  const chosen = targets.find((t) => t.id === target);
  const neutral = chosen?.neutral ?? false;
  const same = target === initial.target;
  return (
    <div className="grid-2">
      <Field name="reselect-rule" label="Rule">
        <select id="f-reselect-rule" name="rule" value={rule} onChange={(e) => setRule(e.target.value)}>
          <option value="best">Best of k</option>
          <option value="random">Random pick (passive)</option>
        </select>
      </Field>
      <Field name="reselect-target" label="Target" error={errors.target}>
        <select id="f-reselect-target" name="target" value={target} onChange={(e) => setTarget(e.target.value)}>
          <TargetOptions targets={targets} />
        </select>
      </Field>
      {rule === "best" ? (
        <Field name="reselect-direction" label="Direction" error={errors.direction}>
          <select
            id="f-reselect-direction"
            name="direction"
            key={target}
            defaultValue={same ? initial.direction : (chosen?.defaultDirection ?? (neutral ? "" : "max"))}
          >
            {neutral ? <option value="">Choose…</option> : null}
            {DIRECTION_CHOICES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      {rule === "best" ? (
        <Field
          name="reselect-targetValue"
          label="Value to be closest to"
          hint="With “Closest to a value” (empty: the attribute's own target value)."
          error={errors.targetValue}
        >
          <input
            id="f-reselect-targetValue"
            name="targetValue"
            type="number"
            step="any"
            key={`tv-${target}`}
            defaultValue={same ? initial.targetValue : chosen?.targetValue == null ? "" : String(chosen.targetValue)}
          />
        </Field>
      ) : null}
    </div>
  );
}
