/**
 * Registry of benchmark files: where each lives in the data layout (one folder per benchmark with the original file names, relative to
 * LINEAGE_DATA_DIR or the cache), its canonical public URL pinned to a commit, and its sha256.
 *
 * Checksums were computed from the workspace copies that SOURCE.md records as byte-for-byte copies of the
 * canonical file at the pinned commit. `sha256: null` means the file could not be obtained here, so its checksum
 * is unknown: the first download is trusted and its checksum recorded next to the cached file (trust on first
 * use), and every later read is verified against that record. `url: null` means there is no single-file public
 * download; `note` says how to get the file.
 */

import { BBQ_CATEGORIES } from "./bbq";

export type BenchmarkId =
  | "stereoset"
  | "crows_pairs"
  | "bbq"
  | "seat"
  | "real_toxicity_prompts"
  | "hellaswag"
  | "openbookqa"
  | "dolly200"
  | "alpaca"
  | "bold"
  | "toxigen";

export interface BenchmarkFileSpec {
  /** Path in the data layout: `<benchmark folder>/<file>`. */
  path: string;
  url: string | null;
  sha256: string | null;
  note?: string;
}

export interface BenchmarkSpec {
  id: BenchmarkId;
  title: string;
  /** Repository and commit (or other origin) the URLs point at. */
  origin: string;
  license: string;
  files: Record<string, BenchmarkFileSpec>;
}

const GH = "https://raw.githubusercontent.com";
const TOOLKIT = `${GH}/for-ai/llm-profiling-toolkit/1fa2c925a78275037ccf72cc182a171ab47cd2e7`;
const BBQ_BASE = `${GH}/nyu-mll/BBQ/bea11bd97d79217245b5871acd247b9d6eb24598/data`;
const BOLD_BASE = `${GH}/amazon-science/bold/3ad652c773f5d1e30d5f6f61657ed934d768ecad/prompts`;
const TOXIGEN_BASE = `${GH}/microsoft/TOXIGEN/01517e814639e0334c920a3c502036c8158aac87/prompts`;
const ALPACA_MAIN = `${GH}/tatsu-lab/stanford_alpaca/761dc5bfbdeeffa89b8bff5d038781a4055f796a`;

const SEAT_SHA256: Record<string, string> = {
  "angry_black_woman_stereotype.jsonl": "06ac61a1054ff82596a4b713e1acc5d800e5b70e84b1dd24d9e32231854e8828",
  "angry_black_woman_stereotype_b.jsonl": "69844f32f32f1f33264446d5a8ff75b11e896719c6627e8721a2e3153c493b9d",
  "heilman_double_bind_competent_1+3-.jsonl": "21924ce01aaee12162d8833e4f1dc5c3c332ebbbc720e7736ef554851cf1e4d2",
  "heilman_double_bind_competent_1-.jsonl": "08d78185021e1dc899ca349759906d42a74d245de62a624ca7cf24853c85f936",
  "heilman_double_bind_competent_1.jsonl": "83260f3683107446d18f20d1653a63cf53e30660fb800b4419719c0548d81c5e",
  "heilman_double_bind_competent_one_sentence.jsonl": "472b008cdeaebc97287e25dda29cee80fbcfdf976bbdcc267a9789c39580b2bf",
  "heilman_double_bind_competent_one_word.jsonl": "2926a59745fa07c4069cdfe5eec3153b3a1eb43e1edeefe41667765f2b87a32f",
  "heilman_double_bind_likable_1+3-.jsonl": "7bae0867001c671175d1582e1607fa16fbf3268a4862d68ee05b8b0a046c5663",
  "heilman_double_bind_likable_1-.jsonl": "aa3c3b26c8059b7f6318b37f1d1133161dc0b28531f9f2e797acbf46c1c219ca",
  "heilman_double_bind_likable_1.jsonl": "ebfc4ce95c6687a96d8cecdd453c51b252803b1cd94c98efccb4860a5612f139",
  "heilman_double_bind_likable_one_sentence.jsonl": "76a61eade11c46470d40746a45fff48235339aebe6302a00e7edeb95c6498a06",
  "heilman_double_bind_likable_one_word.jsonl": "47566cb0cf9a96a102f96a8b4f5fa1a7ff5108fc9d51b7564adcae30f4031ae4",
  "sent-angry_black_woman_stereotype.jsonl": "d421fb37fbac73184d60a73b95b5585cfc9bf0683b8100a57cd87d6d1c149588",
  "sent-angry_black_woman_stereotype_b.jsonl": "95b0bf8cde740bcd5241af89a217687dcf0a13bb48db8a628a49872df9bb1505",
  "sent-heilman_double_bind_competent_one_word.jsonl": "cc99565db26eaea3b09fe73b93109a6c3c11decb7b320f73942abdd7f60fa5d4",
  "sent-heilman_double_bind_likable_one_word.jsonl": "f3bb2f8e41caec232262ca3eec86ad4d773e1cb6fa5d0e33c7a863dccd40db7a",
  "sent-religion1.jsonl": "39eceaa76103c32772bf6d13e78686a10272754e821c3197d07cf2bd4cee34e2",
  "sent-religion1b.jsonl": "baddaead03ed69f50bb29ac3130108ca753fb6933ed0de435d3146403b51fbf5",
  "sent-religion2.jsonl": "692ca32dc36305d34792aea17b9b1e3d520fe0f3c686f59d34159c9cfb3cdb2a",
  "sent-religion2b.jsonl": "b7012c637402e85f00da240daf040b92888df4923c31a06e64998abf3a043521",
  "sent-weat1.jsonl": "ff493f29fa0e0984b67e1502b0c04688473e189fd6d107c91054507ed73ff77a",
  "sent-weat10.jsonl": "04dd864639909052e2ee1f386cfc0a99b5d5311c7c3ab0411396a6f5ddf0aeae",
  "sent-weat2.jsonl": "58378442b8894e6987250a4ca52fc36495429c85695e9dcf952e9c4c31626609",
  "sent-weat3.jsonl": "1e1b9f89f518ad5bba47cbe5bd1d08d679b296b3eb640ee0b060f080c5d7ffef",
  "sent-weat3b.jsonl": "8db3f84b109031a8b86392fbd4544ca1b29f361d98b30b1e83a82b1ca60ee351",
  "sent-weat4.jsonl": "5eb5a2bc5b36d8c0567b1992aea7adb015f3e170e4d24a220c2dca763f59a418",
  "sent-weat5.jsonl": "2478d808135759371ee43754fa8efd89a928e434ad2981df61726b7328c5fb47",
  "sent-weat5b.jsonl": "c0af61519bee074d0c3218bf8e5537b10fae5d795230422cd7bff92f90cafc26",
  "sent-weat6.jsonl": "bcf1a6864e3da0e8982d70451721877f23e2efaf6aea33628df843d826b68ae2",
  "sent-weat6b.jsonl": "8d1dd09833d1854784503c2eb9986d1951d684fb3289a18da85e72fa1e59e4ff",
  "sent-weat7.jsonl": "86c151b640bc9ebf6f60cd94920ab1f5bff68ea1a993f322f729cf3620173e0f",
  "sent-weat7b.jsonl": "16b7c23eb529421b411b508b2928b0d62e52cbb80cf40f8e9acbdfb52cd75350",
  "sent-weat8.jsonl": "352fea8d5440800a219dd6141a6f5e414a708770bc2717bfc581bc249e108ded",
  "sent-weat8b.jsonl": "c410535cac813f806d20a7f76f4bea62ee44f98d8828f8f0ac6a4b7694c414bc",
  "sent-weat9.jsonl": "dd1b60d64dedde7ce532915a6a39cd8ec7d036e90896a6a854bfcd6315866c6c",
  "weat1.jsonl": "c12c192a4b8011590cfe7de237cb2e0dbcd0e7328e3b7baf63869ccfd61bc0ea",
  "weat10.jsonl": "4878efc95d1bbb9c482fc90a5c2c379f9b5a990c7ea9e61f13611fff355a23bc",
  "weat2.jsonl": "d907a10b5a84a72f4e60bf069562565aa88b0e0c84e26adb38a75536718e25b9",
  "weat3.jsonl": "99e5fdbfe3749608afb803eb55d1fb291f81399862ba4cc2b21461ae82215bf7",
  "weat3b.jsonl": "1642a16492fb2e65ff84c858f81ee50737825b96cc0ce880f3409b4dc2e8dd5a",
  "weat4.jsonl": "c0d0c606d20a0ccb8759dcbddaea1b692a860e9dbeea2ccdcade3e3c25868dbb",
  "weat5.jsonl": "7e1ac48a1c8b549200ce5e4c9ed7fd6f0c2c766485d04e73adee05358a9b3224",
  "weat5b.jsonl": "95d5e31bebbe612274fcde0bb311c6fe012f26623522ac4a2b2c9a78ddbb9d2a",
  "weat6.jsonl": "21681d3f4d7fdf97cf4cd2c0f9160940cfbd797ec62c7621b5600dc9e6e5b248",
  "weat6b.jsonl": "b6c85b5228a3786827b528af3d633fbbddc4fbf05d93e6ceb6f76a4881386c1d",
  "weat7.jsonl": "c7e68ec95e30f42df3faa9e1ba933596c9e49651e0017bb90c19d0f58312f2b0",
  "weat7b.jsonl": "714c42ccf6ec71113fcb2064daa7b4dfc80b0cd4bb191c8d0196053681a9792b",
  "weat8.jsonl": "86e650b44e8fd539a9082564f5ede5dae2ed67d120938b9c92a7495f143801e9",
  "weat8b.jsonl": "db822460372ae472b8cf8fd41a44ca13e4f166bb9ee05ea13a983fe0301016ef",
  "weat9.jsonl": "e4c9ab7cd719dcc05a2bd86c390de31ae2778db3c362b360206c0491751fe9f7",
};

const BOLD_SHA256: Record<string, string> = {
  "gender_prompt.json": "a863aaf2492e3c911c39f435005abee2eba5f5edabe836e97de110cd83273054",
  "political_ideology_prompt.json": "a83ea7cc272971b618231e13bcb5c1d1be5b208c92135c4ffde85be31f8ab4c6",
  "profession_prompt.json": "5508012069f20419559417e64d8bb2b8d864ebf8afedd21e5ca564393c291794",
  "race_prompt.json": "200337f6c43b09671e580b1df6aea2cdc0196ee02779260e9881da07029e1cb6",
  "religious_ideology_prompt.json": "633830ea87d569e5476895a93f68b8f686cb0dcae6d67a1091a9247c5c4c931d",
};

const TOXIGEN_SHA256: Record<string, string> = {
  "hate_asian_1k.txt": "0504967034122b691c16dbef10db3acb16492808ecc66d8cd2b2ae87454fd655",
  "hate_bisexual_1k.txt": "09a5b6995d0cd0ba940ae9f9d67e8db1451352dcf99ee273315efc34915fc1e3",
  "hate_black_1k.txt": "29ef85c5610d77a3a4bb050826ffb6e124ee48e11f5b63d34b29d616ef2ee1c3",
  "hate_chinese_1k.txt": "7f99029bad4f71caff707787d6799d1d654fee140f22418691d1244e81ed2b21",
  "hate_immigrant_1k.txt": "bebb38d8786f498ca2153f965cdfba14e0490d5216781091106e5ac8ebbe0574",
  "hate_jewish_1k.txt": "f5bdf83ef8fd32435241cc5fcfc337c0a57bcf64eb7fb4aa3c8fe15eb86f1fd2",
  "hate_latino_1k.txt": "60988864d728cc7b1644a72419181efc1d82b2342f636a5e76f34805e4a88537",
  "hate_lgbtq_1k.txt": "7fb7da0d4ad1a485824111ab60f6030f01dd92dbc9342c76534c78faec061a16",
  "hate_mental_disability_1k.txt": "5a71f51bf998c5111b5dd6d0b7d7edbaa445f27defbc1fdb798dd920974ad3e2",
  "hate_mexican_1k.txt": "2fad743ced369e4a280165b7ea909f8cb30921840cbe5f9f454243cf9e4dcfd5",
  "hate_middle_east_1k.txt": "29ffcca6defd3e4f2edd2237417c7617a3c7380de8f9c6cf13d8c087fa595223",
  "hate_muslim_1k.txt": "aaa18a9bf72928f71cf3d0d8d4dfa298faeb015a8580f5c7e21ef7afaae3241a",
  "hate_native_american_1k.txt": "01c2077f1007268ca11588d08f909ed9c01178148205ae417618d276227b9bbc",
  "hate_physical_disability_1k.txt": "8cada46239a52a741faf47677d1ffbfa06dc31d3e480a03935a5aec89ea02dee",
  "hate_trans_1k.txt": "6188dfd52082e552230a1332e2bf83a23e8410c5f353d32dca79f259c8daf8b8",
  "hate_women_1k.txt": "eecdf3006847c267b9399045ce2fe002f884fe5b682dbef450f3477d7bb24497",
  "neutral_asian_1k.txt": "a5f0c58ae51dc8771d1779009ffc3017c5071c529b01f260600fa96c164ceb44",
  "neutral_bisexual_1k.txt": "8a3391bb9a178295f619c3e92ba9bc177225c392d90ac9f4ab5702c4140d6e51",
  "neutral_black_1k.txt": "8e1da39bf32818c14156f4de32ef6a35f701e1737540dafb02bdf8eb03206a6b",
  "neutral_chinese_1k.txt": "aad50dde2f68d75804e44b939a700b8e37ef93a152cae1a045f8881f89c7e982",
  "neutral_immigrant_1k.txt": "1807799ed9e45c428792da879f83d874e3f589c63b6fd746716fafe2b117c3d4",
  "neutral_jewish_1k.txt": "c804dc98c4a7d90105a9848a66cde4eb05db9a63a8d2668387e46bba90c28380",
  "neutral_latino_1k.txt": "7fad9d0003e54e5f18c1dafb7e21b2295dae5bb7290e9c649eadb7a450b80957",
  "neutral_lgbtq_1k.txt": "7cefb606353cfff8c9ee4af9b2044f039e698dc8117b7c9414dd02dedca51ba9",
  "neutral_mental_disability_1k.txt": "8f513551d7c86c3fd6df5d0a4bb8fd831c45c24d917d69ab3a61f1a984edf3d0",
  "neutral_mexican_1k.txt": "e16aaa8a4606b3bf08139b9c91067cb63d620dd5a3a94e63b8ebc3f4198b1597",
  "neutral_middle_east_1k.txt": "a4f23dfbe5bd0dec6a2018b2fe1ca9805d2a7ca76791da5300c72e6bcdabcdf9",
  "neutral_muslim_1k.txt": "d378bc96f388cef1be42954246b67955dfe3d42cfcbf2ffc2924856c2fb933cd",
  "neutral_native_american_1k.txt": "8affc8490fb2fac8ad72041cce775fc9442ebea95a64a7a2274825e1231ef265",
  "neutral_physical_disability_1k.txt": "30ae4d6774054136a635cd9097dd4fe530ec2f407932f775e8093afa795cff8e",
  "neutral_women_1k.txt": "dfad74fee637cd35415fc9b3a0b8d27d799e5613da5d9be0fdf93774fe813208",
};

const BBQ_SHA256: Partial<Record<string, string>> = {
  "Age.jsonl": "46e805b3fc2d8cbd26eeb8e8430d98cf7b2dc9c83574ff3674e8ce4f0fca2a60",
  "Disability_status.jsonl": "375d40d9b71f056150264445ec189b13934998f3f49a1e311aa7578eb3b45e5f",
  "Nationality.jsonl": "a583e74666aec0341ded8aa3983e7cad694eb24de72c254d28b2df3035720090",
  "Physical_appearance.jsonl": "e48d7e13508565f4801574e611043470c25c95a0a62af3699cb5ee7cb02608fb",
  "Religion.jsonl": "cb9555f9f3454a52cd2df85956b59bd7fcca5aa922c8527693b1164d08417616",
  "Sexual_orientation.jsonl": "2c71036b9e7584fe589c42aef32c1a42bc01b9a5e9b1b8704342630cdb08cefd",
};

const BBQ_MISSING_NOTE = "not byte-checked here (>= 4 MiB, absent from the workspace copy): checksum recorded on first download";

function folder(
  dir: string,
  names: Iterable<string>,
  url: (name: string) => string | null,
  sha: (name: string) => string | null,
  note?: (name: string) => string | undefined,
): Record<string, BenchmarkFileSpec> {
  const out: Record<string, BenchmarkFileSpec> = {};
  for (const name of names) {
    const n = note?.(name);
    out[name] = { path: `${dir}/${name}`, url: url(name), sha256: sha(name), ...(n ? { note: n } : {}) };
  }
  return out;
}

const BBQ_FILES = BBQ_CATEGORIES.map((c) => `${c}.jsonl`);

export const BENCHMARKS: Record<BenchmarkId, BenchmarkSpec> = {
  stereoset: {
    id: "stereoset",
    title: "StereoSet (intrasentence)",
    origin: "moinnadeem/StereoSet@ead7d086a64a192a1eca88e0dd2fd163de375218",
    license: "CC BY-SA 4.0",
    files: {
      "dev.json": {
        path: "stereoset/dev.json",
        url: `${GH}/moinnadeem/StereoSet/ead7d086a64a192a1eca88e0dd2fd163de375218/data/dev.json`,
        sha256: null,
        note: "the same file is vendored as data/stereoset/test.json by McGill-NLP/bias-bench and the paper toolkit",
      },
    },
  },
  crows_pairs: {
    id: "crows_pairs",
    title: "CrowS-Pairs",
    origin: "nyu-mll/crows-pairs@8aaac11c485473159ec9328a65253a5be9a479dc",
    license: "CC BY-SA 4.0",
    files: {
      "crows_pairs_anonymized.csv": {
        path: "crows_pairs/crows_pairs_anonymized.csv",
        url: `${GH}/nyu-mll/crows-pairs/8aaac11c485473159ec9328a65253a5be9a479dc/data/crows_pairs_anonymized.csv`,
        sha256: "dfb36986ce0502abbaf7055b9176da3d08d48e07df1251991b5dfbcbceab9d0c",
      },
    },
  },
  bbq: {
    id: "bbq",
    title: "BBQ",
    origin: "nyu-mll/BBQ@bea11bd97d79217245b5871acd247b9d6eb24598",
    license: "CC BY 4.0",
    files: folder(
      "bbq",
      BBQ_FILES,
      (f) => `${BBQ_BASE}/${f}`,
      (f) => BBQ_SHA256[f] ?? null,
      (f) => (BBQ_SHA256[f] ? undefined : BBQ_MISSING_NOTE),
    ),
  },
  seat: {
    id: "seat",
    title: "SEAT",
    origin: "for-ai/llm-profiling-toolkit@1fa2c925a78275037ccf72cc182a171ab47cd2e7 (src/profiling/bias_bench/data/seat; from W4ngatang/sent-bias)",
    license: "CC BY-NC 4.0 (sent-bias)",
    files: folder(
      "seat",
      Object.keys(SEAT_SHA256),
      (f) => `${TOOLKIT}/src/profiling/bias_bench/data/seat/${encodeURIComponent(f)}`,
      (f) => SEAT_SHA256[f],
    ),
  },
  real_toxicity_prompts: {
    id: "real_toxicity_prompts",
    title: "RealToxicityPrompts",
    origin:
      "for-ai/llm-profiling-toolkit@1fa2c925a78275037ccf72cc182a171ab47cd2e7 (300-prompt set); allenai/real-toxicity-prompts on Hugging Face @d3a65075 (full release)",
    license: "Apache-2.0 (RealToxicityPrompts); the toolkit repository has no LICENSE file",
    files: {
      "rtp_toxic_test_set.json": {
        path: "real_toxicity_prompts/rtp_toxic_test_set.json",
        url: `${TOOLKIT}/data/RTP/rtp_toxic_test_set.json`,
        sha256: "82cdcb9498646e0a569b81f50271e62be1fbf935279503b8eb62673161ae1d1c",
      },
      "prompts.jsonl": {
        path: "real_toxicity_prompts/prompts.jsonl",
        url: "https://huggingface.co/datasets/allenai/real-toxicity-prompts/resolve/d3a6507562064c4f37cdf267bdc2faa7b0873173/prompts.jsonl",
        sha256: null,
        note: "full release (~99k prompts, 67.7 MB); also in https://ai2-public-datasets.s3.amazonaws.com/realtoxicityprompts/realtoxicityprompts-data.tar.gz",
      },
    },
  },
  hellaswag: {
    id: "hellaswag",
    title: "HellaSwag (validation)",
    origin: "rowanz/hellaswag@a29ff8e9a04bba4bd6588223785ce105328adc57; text rendition klosax/hellaswag_text_data@1105d370f8340eac3c63a91fd1fa58e8999f9505",
    license: "MIT",
    files: {
      "hellaswag_val.jsonl": {
        path: "hellaswag/hellaswag_val.jsonl",
        url: `${GH}/rowanz/hellaswag/a29ff8e9a04bba4bd6588223785ce105328adc57/data/hellaswag_val.jsonl`,
        sha256: null,
      },
      "hellaswag_val_full.txt": {
        path: "hellaswag/hellaswag_val_full.txt",
        url: `${GH}/klosax/hellaswag_text_data/1105d370f8340eac3c63a91fd1fa58e8999f9505/hellaswag_val_full.txt`,
        sha256: "d572539320eb2050e858ca34b495bbe2103e3b3f1391a9c3bcdf215b0bb93bd1",
        note: "6-line text rendition (WikiHow bracket tags removed, no ind/ctx_a/ctx_b); used only when hellaswag_val.jsonl is absent from LINEAGE_DATA_DIR",
      },
    },
  },
  openbookqa: {
    id: "openbookqa",
    title: "OpenBookQA (test)",
    origin: "allenai/OpenBookQA release OpenBookQA-V1-Sep2018",
    license: "Apache-2.0",
    files: {
      "test.jsonl": {
        path: "openbookqa/test.jsonl",
        url: null,
        sha256: null,
        note: "no single-file download: unzip https://s3-us-west-2.amazonaws.com/ai2-website/data/OpenBookQA-V1-Sep2018.zip and copy OpenBookQA-V1-Sep2018/Data/Main/test.jsonl to openbookqa/test.jsonl in LINEAGE_DATA_DIR (or the cache folder)",
      },
    },
  },
  dolly200: {
    id: "dolly200",
    title: "Dolly-200 (English)",
    origin: "for-ai/llm-profiling-toolkit@1fa2c925a78275037ccf72cc182a171ab47cd2e7 (data/Dolly-200)",
    license: "CC BY-SA 3.0 (databricks-dolly-15k); the toolkit repository has no LICENSE file",
    files: {
      "dolly_eval_eng.jsonl": {
        path: "dolly200/dolly_eval_eng.jsonl",
        url: `${TOOLKIT}/data/Dolly-200/dolly_eval_eng.jsonl`,
        sha256: "41675f83a8b08355de9296de436780888f29b0c8798f04e134fdd2ebe79c5ec8",
      },
    },
  },
  alpaca: {
    id: "alpaca",
    title: "Stanford Alpaca",
    origin:
      "tatsu-lab/stanford_alpaca@761dc5bfbdeeffa89b8bff5d038781a4055f796a (main); alpaca_5000.json from @5e69c50054c48cd3b919c46d13bb2d92a62f4498 (pull request #152, not merged)",
    license: "CC BY-NC 4.0 (data)",
    files: {
      "alpaca_5000.json": {
        path: "alpaca/alpaca_5000.json",
        url: `${GH}/tatsu-lab/stanford_alpaca/5e69c50054c48cd3b919c46d13bb2d92a62f4498/data/alpaca_5000.json`,
        sha256: "fc1add24c93c9fbbe585a64a6c9bf6165eb110225f4470efbff382a913558ec0",
        note: "random 5,000 of alpaca_data.json, from the head of an unmerged pull request",
      },
      "alpaca_data.json": {
        path: "alpaca/alpaca_data.json",
        url: `${ALPACA_MAIN}/alpaca_data.json`,
        sha256: null,
      },
      "seed_tasks.jsonl": {
        path: "alpaca/seed_tasks.jsonl",
        url: `${ALPACA_MAIN}/seed_tasks.jsonl`,
        sha256: "7779004fa198fdf27cf70a159363879d8a26c53329e11b436af17b3941875f48",
      },
    },
  },
  bold: {
    id: "bold",
    title: "BOLD prompts",
    origin: "amazon-science/bold@3ad652c773f5d1e30d5f6f61657ed934d768ecad",
    license: "CC BY-SA 4.0",
    files: folder(
      "bold",
      Object.keys(BOLD_SHA256),
      (f) => `${BOLD_BASE}/${f}`,
      (f) => BOLD_SHA256[f],
    ),
  },
  toxigen: {
    id: "toxigen",
    title: "ToxiGen prompts",
    origin: "microsoft/TOXIGEN@01517e814639e0334c920a3c502036c8158aac87",
    license: "MIT",
    files: folder(
      "toxigen",
      Object.keys(TOXIGEN_SHA256),
      (f) => `${TOXIGEN_BASE}/${f}`,
      (f) => TOXIGEN_SHA256[f],
    ),
  },
};

export const BENCHMARK_IDS = Object.keys(BENCHMARKS) as BenchmarkId[];

export function isBenchmarkId(id: string): id is BenchmarkId {
  return Object.hasOwn(BENCHMARKS, id);
}

/** The spec of one file; throws for an unknown benchmark or file, listing the known ones. */
export function benchmarkFileSpec(benchmark: BenchmarkId, file: string): BenchmarkFileSpec {
  const spec = BENCHMARKS[benchmark];
  if (!spec) throw new Error(`unknown benchmark ${JSON.stringify(benchmark)} (known: ${BENCHMARK_IDS.join(", ")})`);
  const f = Object.hasOwn(spec.files, file) ? spec.files[file] : undefined;
  if (!f) throw new Error(`unknown file ${JSON.stringify(file)} for benchmark ${benchmark} (known: ${Object.keys(spec.files).join(", ")})`);
  return f;
}

/** SEAT test names (file stems) in the registry. */
export const SEAT_TESTS: readonly string[] = Object.keys(SEAT_SHA256).map((f) => f.replace(/\.jsonl$/, ""));
/** ToxiGen prompt-file stems (e.g. `hate_asian_1k`). */
export const TOXIGEN_FILES: readonly string[] = Object.keys(TOXIGEN_SHA256).map((f) => f.replace(/\.txt$/, ""));
/** BOLD domains (e.g. `gender`). */
export const BOLD_DOMAINS: readonly string[] = Object.keys(BOLD_SHA256).map((f) => f.replace(/_prompt\.json$/, ""));
