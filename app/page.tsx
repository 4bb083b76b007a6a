import Link from "next/link";
import { getDatabase } from "@/lib/db/client";
import { overviewCounts } from "@/lib/overview";

export default async function Home() {
  const { models, runs, derivations, datasets } = await overviewCounts(await getDatabase());
  const steps = [
    { done: models > 0, text: "Register the models you study (or add the study's presets) with their OpenAI-compatible endpoints.", href: "/models" },
    { done: derivations > 0, text: "Record lineage: which student was fine-tuned from which base on which teachers' data.", href: "/models" },
    { done: runs > 0, text: "Profile each model: textual characteristics, social bias, toxicity and calibration.", href: "/runs" },
    { done: false, text: "Compare parent and student side by side and export figures and tables.", href: "/compare" },
  ];
  return (
    <>
      <h1>Lineage</h1>
      <p className="muted" style={{ maxWidth: "70ch" }}>
        Profile what a student model inherits from the synthetic data of its teachers — length, lexical diversity, readability, social bias, toxicity,
        calibration — and steer it with actively selected data.
      </p>
      <div className="grid-2" style={{ marginTop: "1rem" }}>
        <section className="panel" aria-label="Counts">
          <dl className="facts">
            <dt>Models</dt>
            <dd>{models}</dd>
            <dt>Derivations</dt>
            <dd>{derivations}</dd>
            <dt>Runs</dt>
            <dd>{runs}</dd>
            <dt>Datasets</dt>
            <dd>{datasets}</dd>
          </dl>
        </section>
        <section className="panel" aria-label="Next steps">
          <ol style={{ margin: 0, paddingLeft: "1.2rem" }}>
            {steps.map((s) => (
              <li key={s.text}>
                <Link href={s.href}>{s.text}</Link> {s.done ? <span className="badge good">done</span> : null}
              </li>
            ))}
          </ol>
        </section>
      </div>
    </>
  );
}
