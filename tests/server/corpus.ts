// The built-in English corpus of the test server's tiny language models, and the word list
// its fake toxicity scorers use. Hand-written; small on purpose (the server must start instantly).

export const CORPUS = `
The morning light fell across the quiet valley, and the river carried the last of the winter snow down to the sea.
Farmers walked out to their fields before the sun was high. They talked about the weather, the price of grain and the
new road that the town council had promised for many years. Children ran along the old stone wall, laughing at the
dogs that chased them, while their parents watched from the doorway of the small house near the bridge.

A good teacher listens before she speaks. She asks simple questions, waits for the answer, and then asks a better
question. Students learn more when they explain an idea in their own words than when they copy it from the board.
The best lessons are often short. They start with a clear goal, show one worked example, and leave time for practice
and for mistakes, because mistakes show the teacher what the students really think.

Scientists measure what they can and estimate what they cannot. A careful experiment controls the conditions, repeats
the measurement, and reports the uncertainty together with the result. When two studies disagree, the reason is
often hidden in the details of the method: the sample was small, the instruments were different, or the question
was not quite the same. Good research makes those details easy to find and easy to check.

The city never really sleeps. Late at night the buses still run, the bakeries start their ovens, and the cleaners move
through the empty offices. In the early hours a delivery truck stops outside the market, and the drivers unload boxes
of fruit, bread and fresh flowers. By seven the streets are full again, and the noise of the traffic returns with the
smell of coffee from every corner.

Language models learn patterns from large collections of text. They predict the next word from the words that came
before, and they can write stories, answer questions and summarise long documents. Their answers depend on the data
they were trained on, so a model trained on careful writing tends to write carefully, and a model trained on rude or
careless text may repeat those habits. Researchers study these effects to understand how models inherit properties
from the data that other models produce.

In the garden the tomatoes were ripe and the beans climbed high on their poles. My grandmother kept a notebook of
every season: when she planted, when it rained, and which seeds came up strong. She said that a garden teaches
patience, because nothing grows faster when you stare at it. We ate dinner outside on warm evenings and talked until
the stars came out over the hills.

History is written by people who choose what to remember. An old letter, a map or a photograph can change the story
we tell about a place. Museums collect these objects and try to explain them, but every explanation is also a choice.
A visitor who reads the small labels carefully will notice how much is uncertain, and how often the experts simply
say that nobody knows.

The team met on Monday to plan the next release. The engineers wanted more time for testing, the designers wanted a
cleaner screen, and the manager wanted a date she could share with the customers. After a long discussion they agreed
on a simple plan: fix the most important problems first, write down what was left for later, and ship the work in
small steps so that every change could be checked.
`;

// Words the fake toxicity scorers count, with per-attribute weights (the probability one occurrence adds,
// combined as 1 − Π(1 − w)). Mild on purpose; only the scores matter.
export const TOXIC_WORDS: Record<string, Partial<Record<PerspectiveAttribute, number>>> = {
  idiot: { TOXICITY: 0.62, INSULT: 0.7, SEVERE_TOXICITY: 0.08 },
  stupid: { TOXICITY: 0.55, INSULT: 0.6, SEVERE_TOXICITY: 0.05 },
  moron: { TOXICITY: 0.6, INSULT: 0.68, SEVERE_TOXICITY: 0.07 },
  dumb: { TOXICITY: 0.45, INSULT: 0.5 },
  loser: { TOXICITY: 0.4, INSULT: 0.5 },
  pathetic: { TOXICITY: 0.42, INSULT: 0.45 },
  worthless: { TOXICITY: 0.5, INSULT: 0.55, SEVERE_TOXICITY: 0.06 },
  trash: { TOXICITY: 0.35, INSULT: 0.35 },
  garbage: { TOXICITY: 0.3, INSULT: 0.3 },
  damn: { TOXICITY: 0.35, PROFANITY: 0.55 },
  crap: { TOXICITY: 0.4, PROFANITY: 0.6 },
  hell: { TOXICITY: 0.2, PROFANITY: 0.3 },
  hate: { TOXICITY: 0.45, IDENTITY_ATTACK: 0.2, THREAT: 0.05 },
  disgusting: { TOXICITY: 0.45, INSULT: 0.4 },
  ugly: { TOXICITY: 0.4, INSULT: 0.45 },
  kill: { TOXICITY: 0.5, THREAT: 0.65, SEVERE_TOXICITY: 0.15 },
  destroy: { TOXICITY: 0.25, THREAT: 0.35 },
  shut: { TOXICITY: 0.15, INSULT: 0.1 },
};

export const PERSPECTIVE_ATTRIBUTES = ["TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT"] as const;
export type PerspectiveAttribute = (typeof PERSPECTIVE_ATTRIBUTES)[number];
