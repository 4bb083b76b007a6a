"use client";
import { useActionState, useState } from "react";
import { reselectAction, type FormState } from "@/app/datasets/actions";
import type { TargetOption } from "./dataset-form";
import { Field } from "./field";

/** Choose another target, direction or rule: computed from the stored candidates, without generation requests. */
export function DatasetReselectForm({ datasetId, targets, current }: { datasetId: string; targets: TargetOption[]; current: { rule: string; target: string; direction: string | null } }) {
  const [state, action, pending] = useActionState<FormState, FormData>(reselectAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  const [rule, setRule] = useState(current.rule);
  const [target, setTarget] = useState(current.target);
  // Controlled: React resets uncontrolled fields after every action, and a refused submit must keep the choice.
  const [direction, setDirection] = useState(current.direction ?? "max");
  const neutral = targets.find((t) => t.id === target)?.neutral ?? false;
  return (
    <form action={action} className="stack" aria-label="Re-select" noValidate>
      <input type="hidden" name="datasetId" value={datasetId} />
      {state && !state.ok && state.formError ? (
        <div className="alert error" role="alert">
          {state.formError}
        </div>
      ) : null}
      <div className="grid-2">
        <Field name="reselect-rule" label="Rule">
          <select id="f-reselect-rule" name="rule" value={rule} onChange={(e) => setRule(e.target.value)}>
            <option value="best">Best of k</option>
            <option value="random">Random pick (passive)</option>
          </select>
        </Field>
        <Field name="reselect-target" label="Target" error={errors.target}>
          <select id="f-reselect-target" name="target" value={target} onChange={(e) => setTarget(e.target.value)}>
            {targets.map((t) => (
              <option key={t.id} value={t.id} disabled={!!t.disabled}>
                {t.label} ({t.id}){t.disabled ? ` — ${t.disabled}` : ""}
              </option>
            ))}
          </select>
        </Field>
        {rule === "best" ? (
          <Field name="reselect-direction" label="Direction" error={errors.direction}>
            <select id="f-reselect-direction" name="direction" value={direction} onChange={(e) => setDirection(e.target.value)}>
              <option value="max">Maximise</option>
              <option value="min">Minimise</option>
            </select>
          </Field>
        ) : null}
      </div>
      {rule === "best" && neutral ? (
        <label className="checks">
          <input type="checkbox" name="confirmNeutral" /> This metric has no better direction: steer it anyway
        </label>
      ) : null}
      {errors.confirmNeutral ? (
        <p className="field-error" role="alert" data-field-error="confirmNeutral">
          {errors.confirmNeutral}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? "Selecting…" : "Re-select"}
        </button>
        <span className="muted">Uses the stored candidates: no new generation.</span>
      </div>
    </form>
  );
}
