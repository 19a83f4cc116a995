/**
 * The answer key of a dataset — truth.json and labels.jsonl — and where it lives: never inside the
 * dataset directory a detector is pointed at (docs/dataset.md "The answer key").
 *
 * Where a dataset directory DIR's key is found, first match wins:
 *   1. where `--truth` says (a key folder or its truth.json), outside DIR;
 *   2. `DIR.truth/` beside it (what `generate --out DIR` writes);
 *   3. `A.truth/REL/` for a folder A holding DIR at REL (what `run --out OUT` writes: the keys of
 *      `OUT/datasets/<scenario>/seed-<n>/` are in `OUT.truth/datasets/<scenario>/seed-<n>/`, so the
 *      run's output folder never holds one).
 * `run` and `serve` refuse a dataset directory that holds its key (the format 1 layout), saying how
 * to move it out.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ANSWER_KEY_FILES, DATASET_FILES } from '../../src/core/dataset.js';
import { EnumbenchError } from '../../src/core/errors.js';

/** The suffix of an answer-key folder beside what it answers: `DIR` → `DIR.truth`. */
export const ANSWER_KEY_SUFFIX = '.truth';

/** The answer-key folder beside `path` (a dataset directory, or a run's output folder): `<path>.truth`. */
export function keyFolderBeside(path: string): string {
  const abs = resolve(path);
  return join(dirname(abs), `${basename(abs)}${ANSWER_KEY_SUFFIX}`);
}

/** Where `run --out OUT` keeps the key of its dataset `dir` (under OUT): `OUT.truth/<dir under OUT>`. */
export function runKeyDir(outDir: string, dir: string): string {
  return join(keyFolderBeside(outDir), relative(resolve(outDir), resolve(dir)));
}

/** `inner` is `outer` or lies inside it. */
export function isWithin(inner: string, outer: string): boolean {
  const r = relative(resolve(outer), resolve(inner));
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function isFile(path: string): boolean {
  return existsSync(path) && !statSync(path).isDirectory();
}

/**
 * Refuse an answer-key folder inside the dataset directory (or a dataset directory inside the
 * key's folder): a detector given the dataset directory would find the key.
 */
export function checkAnswerKeyOutside(datasetDir: string, keyDir: string, flag = '--truth-out'): void {
  if (isWithin(keyDir, datasetDir) || isWithin(datasetDir, keyDir)) {
    throw new EnumbenchError(
      'E_OPTION',
      `${flag} ${keyDir}: the answer key must be outside the dataset directory ${datasetDir} (and the dataset outside it)`,
      { hint: `omit ${flag} to use the folder beside the dataset, ${keyFolderBeside(datasetDir)}` },
    );
  }
}

/** The answer-key files a directory holds (the format 1 layout kept them in the dataset directory). */
/**
 * The key folder is replaced as a whole when a generation completes: refuse, before generating, a
 * path that is a file or a folder of something else than an answer key (its files would be lost).
 */
export function checkKeyDirReplaceable(keyDir: string, flag = '--truth-out'): void {
  if (!existsSync(keyDir)) return;
  if (!statSync(keyDir).isDirectory() || (readdirSync(keyDir).length > 0 && keyFilesIn(keyDir).length === 0)) {
    throw new EnumbenchError(
      'E_OUT',
      `${keyDir} is ${statSync(keyDir).isDirectory() ? 'a folder that does not hold an answer key (no truth.json, labels.jsonl)' : 'a file'}: the answer key's folder is replaced as a whole`,
      { hint: `give ${flag} a new or empty directory, or one an earlier \`enumbench generate\` wrote the key to` },
    );
  }
}

export function keyFilesIn(dir: string): string[] {
  return Object.values(ANSWER_KEY_FILES).filter((f) => existsSync(join(dir, f)));
}

/**
 * Refuse a dataset directory that holds its answer key (format 1 wrote truth.json and labels.jsonl
 * beside the records): whatever is pointed at it could read the labels. The message says how to
 * move the key out, after which the dataset is read as it is.
 */
export function refuseAnswerKeyInside(datasetDir: string, shown = datasetDir): void {
  const found = keyFilesIn(datasetDir);
  if (!found.length) return;
  const key = keyFolderBeside(datasetDir);
  const q = (p: string) => (/^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);
  throw new EnumbenchError(
    'E_DATASET',
    `${shown} holds its answer key (${found.join(', ')}): a detector pointed at the dataset could read the labels, so it is not replayed`,
    {
      hint: `move the key out of the dataset, beside it: mkdir ${q(key)} && mv ${found.map((f) => q(join(datasetDir, f))).join(' ')} ${q(key)}/ — or regenerate it with \`enumbench generate\`, which writes the key to DIR.truth/`,
    },
  );
}

export interface AnswerKey {
  /** the folder holding it */
  dir: string;
  truth: string;
  /** labels.jsonl, when the folder has one */
  labels: string | null;
}

/** The folders where a dataset directory's key may be, in the order they are tried (2 and 3 above). */
export function answerKeyCandidates(datasetDir: string): string[] {
  const abs = resolve(datasetDir);
  const out = [keyFolderBeside(abs)];
  for (let a = dirname(abs); dirname(a) !== a; a = dirname(a)) out.push(join(keyFolderBeside(a), relative(a, abs)));
  return out;
}

/**
 * The answer key of a dataset directory: `given` (a key folder or its truth.json) when set, else
 * the first candidate folder holding a truth.json. A clear error says where it looked and which
 * flag to give.
 */
export function findAnswerKey(datasetDir: string, given?: string, flag = '--truth'): AnswerKey {
  const candidates = given !== undefined ? [resolve(given)] : answerKeyCandidates(datasetDir);
  for (const c of candidates) {
    const dir = isDirectory(c) ? c : given !== undefined ? dirname(c) : null;
    if (dir === null) continue;
    const truth = isDirectory(c) ? join(c, ANSWER_KEY_FILES.truth) : c;
    if (!isFile(truth)) continue;
    if (given !== undefined) checkAnswerKeyOutside(datasetDir, dir, flag);
    const labels = join(dir, ANSWER_KEY_FILES.labels);
    return { dir, truth, labels: existsSync(labels) ? labels : null };
  }
  const looked = candidates
    .slice(0, 2)
    .map((c) => (isDirectory(c) || given === undefined ? join(c, ANSWER_KEY_FILES.truth) : c));
  throw new EnumbenchError(
    'E_TRUTH',
    `no answer key for the dataset ${datasetDir}: looked for ${looked.join(', ')}${given === undefined ? ' and in the .truth folders of the folders above it' : ''}`,
    {
      hint:
        given !== undefined
          ? `give ${flag} the folder \`enumbench generate\` wrote the key to (it holds truth.json and labels.jsonl)`
          : `\`enumbench generate --out DIR\` writes the key to DIR.truth/ and \`enumbench run --out OUT\` to OUT.truth/; if you moved it, give ${flag} PATH`,
    },
  );
}

export interface ScoringFiles {
  truth: string;
  labels: string | null;
  /** the dataset directory, when known: its delivery.jsonl and manifest */
  dataset: string | null;
}

/**
 * What `score --truth X` means: X is a truth.json, an answer-key folder, or a dataset directory
 * (whose key is found as findAnswerKey finds it). labels.jsonl is looked for beside truth.json;
 * the dataset directory (for delivery.jsonl and the manifest's gates) beside the key folder, or,
 * in a format 1 dataset whose key was never moved, the folder itself.
 */
export function scoringFilesOf(arg: string, flag = '--truth'): ScoringFiles {
  const path = resolve(arg);
  const dirGiven = isDirectory(path);
  if (dirGiven && !existsSync(join(path, ANSWER_KEY_FILES.truth)) && existsSync(join(path, DATASET_FILES.delivery))) {
    const key = findAnswerKey(path, undefined, flag);
    return { truth: key.truth, labels: key.labels, dataset: path };
  }
  const keyDir = dirGiven ? path : dirname(path);
  const truth = dirGiven ? join(path, ANSWER_KEY_FILES.truth) : path;
  if (!isFile(truth)) {
    throw new EnumbenchError('E_READ', `cannot read truth ${arg}: no such file (looked for ${truth})`, {
      hint: `give ${flag} the dataset directory (its key is found beside it), the key folder (\`generate --out DIR\` writes DIR.truth/) or its truth.json`,
    });
  }
  const labels = join(keyDir, ANSWER_KEY_FILES.labels);
  return { truth, labels: existsSync(labels) ? labels : null, dataset: datasetOfKey(keyDir) };
}

/** The dataset directory an answer-key folder answers, when it can be told from where the key is. */
export function datasetOfKey(keyDir: string): string | null {
  const abs = resolve(keyDir);
  // format 1: the key inside the dataset
  if (existsSync(join(abs, DATASET_FILES.delivery))) return abs;
  // DIR.truth → DIR; A.truth/REL → A/REL
  for (let d = abs; dirname(d) !== d; d = dirname(d)) {
    if (!basename(d).endsWith(ANSWER_KEY_SUFFIX)) continue;
    const dataset = join(d.slice(0, -ANSWER_KEY_SUFFIX.length), relative(d, abs));
    if (existsSync(join(dataset, DATASET_FILES.delivery))) return dataset;
  }
  return null;
}

/**
 * Refuse an answer key made for another dataset (`--truth` pointing at the wrong folder): the
 * manifest, when the dataset has one, names the scenario hash and seed the truth must carry.
 */
export function checkAnswerKeyMatches(
  datasetDir: string,
  truth: { scenario: { name: string; hash: string }; seed: number },
  truthPath: string,
): void {
  const manifestPath = join(datasetDir, DATASET_FILES.manifest);
  if (!existsSync(manifestPath)) return;
  let m: { scenario?: { name?: string; hash?: string }; seed?: number };
  try {
    m = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof m;
  } catch {
    return; // the replay reports a broken manifest with its own message
  }
  if (m.scenario?.hash !== truth.scenario.hash || m.seed !== truth.seed) {
    throw new EnumbenchError(
      'E_DATASET_MISMATCH',
      `${truthPath} is the answer key of scenario "${truth.scenario.name}" seed ${truth.seed}; the dataset ${datasetDir} is scenario "${m.scenario?.name}" seed ${m.seed}`,
      { hint: 'give --truth the answer key written with this dataset (`generate --out DIR` writes it to DIR.truth/)' },
    );
  }
}

/** Move an answer-key folder (across file systems too: `run` keeps keys in the system temp folder). */
export function moveAnswerKey(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  rmSync(to, { recursive: true, force: true });
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    mkdirSync(to, { recursive: true });
    for (const f of readdirSync(from)) copyFileSync(join(from, f), join(to, f));
    rmSync(from, { recursive: true, force: true });
  }
}
