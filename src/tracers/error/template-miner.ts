/**
 * TemplateMiner: online log template mining in the manner of Drain (He et al.,
 * "Drain: An Online Log Parsing Approach with Fixed Depth Tree", ICWS 2017).
 *
 * A message is masked into tokens, routed through a fixed-depth prefix tree
 * (first by token count, then by its first tokens) to a leaf holding a few
 * clusters, and joins the most similar cluster when the similarity reaches the
 * threshold; otherwise it starts a new cluster. A cluster's template is its
 * tokens with the positions that differed replaced by `<*>`.
 *
 * Unlike Drain, a message that differs from a template in one constant word
 * does not join it at once: `Service foo started` and `Service foo stopped`
 * are two statements, `Invalid user admin` and `Invalid user root` one. They
 * start sibling clusters, and only when one position has shown
 * `distinctValues` different words do the siblings merge into one template
 * with `<*>` there (the absorbed clusters point to the survivor).
 *
 * Memory is bounded: at most `maxClusters` clusters, the least recently used
 * forgotten first and counted (`evicted`).
 */
import { createHash } from 'node:crypto';
import { LruMap } from '../../core/lru';
import { isRequestUrl, WILDCARD as MASK_WILDCARD, maskTokens } from './mask';

/** A local binding: an imported one may be a getter (esbuild, swc), and this is read in the hottest loops. */
const WILDCARD: string = MASK_WILDCARD;

/** Tuning of the miner. One default configuration serves every log. */
export interface TemplateMinerOptions {
  /** Prefix tokens used to route (Drain's depth minus 2). Default 2. */
  prefixTokens: number;
  /** Share of equal tokens a message needs to join a cluster (0..1). Default 0.5. */
  similarity: number;
  /** Children per tree node; beyond it tokens route to the wildcard child. Default 100. */
  maxChildren: number;
  /** Most clusters kept; the least recently used is evicted beyond it. Default 50,000. */
  maxClusters: number;
  /**
   * Most clusters one leaf holds; the least recently joined there is evicted
   * beyond it. A message is compared with every cluster of its leaf, so this
   * bounds the cost of a line where input of one shape never repeats (hostile
   * or generated lines). Default 64.
   */
  maxLeafClusters: number;
  /**
   * Distinct constant words one position must show, across clusters that
   * differ only there, before it becomes a variable and they merge. A few
   * values are an enumeration (states, operations, drivers), many are a
   * variable (user names). Statements that differ in two or more constant
   * words never merge, however similar. Default 4.
   */
  distinctValues: number;
}

/** The defaults, used unchanged for every dataset in docs/template-accuracy.md. */
export const DEFAULT_MINER_OPTIONS: Readonly<TemplateMinerOptions> = {
  prefixTokens: 2,
  similarity: 0.5,
  maxChildren: 100,
  maxClusters: 50_000,
  maxLeafClusters: 64,
  distinctValues: 4,
};

/** One group of messages that share a template. */
export interface TemplateCluster {
  /** Sequential id within this miner (1-based). */
  readonly id: number;
  /** The template's tokens; variable positions are `<*>`. */
  tokens: string[];
  /** How many messages joined this cluster. */
  size: number;
  /** The cluster this one was merged into, once a varying word made them one template. */
  mergedInto?: TemplateCluster;
}

/** What `add` tells about a message. */
export interface TemplateMatch {
  cluster: TemplateCluster;
  /** The template text at this moment (it may generalise as more messages arrive). */
  template: string;
  /** Whether this message created the cluster or changed its template. */
  changed: boolean;
  /** Clusters merged into `cluster` by this message (usually none). */
  absorbed: TemplateCluster[];
}

interface TreeNode {
  children: Map<string, TreeNode>;
  /** Clusters at a leaf. */
  clusters: TemplateCluster[];
}

function newNode(): TreeNode {
  return { children: new Map(), clusters: [] };
}

/** The cluster a message's cluster lives on as: itself, or the one it was merged into. */
export function survivorOf(cluster: TemplateCluster): TemplateCluster {
  let current = cluster;
  while (current.mergedInto) current = current.mergedInto;
  return current;
}

/** Template text of a cluster. */
export function templateOf(cluster: Pick<TemplateCluster, 'tokens'>): string {
  return cluster.tokens.join(' ');
}

/**
 * A stable signature for a template: the first 16 hex digits of its SHA-256.
 * The same template gives the same signature in every run and every process.
 */
export function templateSignature(template: string): string {
  return createHash('sha256').update(template).digest('hex').slice(0, 16);
}

/** `similarity` when the message differs from the template in no constant. */
const NO_WORD = -1;
/** `similarity` when the message may never join the template. */
const APART = -2;

/**
 * A word among the routed first ones is the subject of a short statement
 * (`cupsd startup succeeded`, `boot (command 12)`: the word is what the line
 * says), but a variable ahead of a long one (`com.apple.xpc.launchd: ...
 * told me to run this job; ...`): siblings that differ there merge only when
 * they share at least this many constant words.
 */
const ROUTED_SIBLING_WORDS = 3;

/**
 * Compares a message with a template. Returns the position of the one
 * constant word they differ in, NO_WORD when they differ in none (or only in
 * one constant against a masked token), or APART when they differ in more, in
 * state words, or in differently shaped masked tokens (`(uid=<*>)` vs
 * `LOGIN(uid=<*>)`; a request URL's shape counts as a constant word).
 * `score` receives the share of positions where they agree (a wildcard
 * agrees but weighs half).
 */
function similarity(template: readonly string[], tokens: readonly string[], score: { value: number }): number {
  let equal = 0;
  let differences = 0;
  let word = NO_WORD;
  for (let i = 0; i < tokens.length; i++) {
    const t = template[i]!;
    const m = tokens[i]!;
    if (t === m) equal += t === WILDCARD ? 0.5 : 1;
    else if (t !== WILDCARD && m !== WILDCARD) {
      // A request URL is a word whatever its masked segments: another endpoint is another word (`/a/<*>` vs `/b`).
      const maskedT = t.includes(WILDCARD) && !isRequestUrl(t);
      const maskedM = m.includes(WILDCARD) && !isRequestUrl(m);
      if (maskedT && maskedM) {
        if (generalise(t, m) === WILDCARD) return APART;
        continue;
      }
      // A template's `key=<*>` already takes any value of that key.
      if (maskedT && generalise(t, m) === t) continue;
      // A program quotes a key's value because it copies in any string (spaces too): two quoted values of
      // one key are a variable (`tag="View Lock"` vs `tag="WindowManager"`) unless both are states.
      // A bare value may be an enumeration (`user=root` vs `user=guest`), left to the siblings.
      if (isQuotedValue(t) && isQuotedValue(m) && sameKey(t, m) && !(isStateWord(t) && isStateWord(m))) continue;
      if (++differences > 1 || (isStateWord(t) && isStateWord(m))) return APART;
      // Two constants are a word difference; a constant against a masked token (`()` vs `(<*>)`) a variable.
      if (!maskedT && !maskedM) word = i;
    }
  }
  score.value = tokens.length === 0 ? 1 : equal / tokens.length;
  return word;
}

/** How many constant words a template and a message share, in the same places. */
function sharedWords(template: readonly string[], tokens: readonly string[]): number {
  let words = 0;
  for (let i = 0; i < tokens.length; i++) if (template[i] === tokens[i] && tokens[i] !== WILDCARD) words++;
  return words;
}

/** Short words that name a state or an operation without a verb ending (`up`/`down`, `on`/`off`, `start`/`stop`). */
const STATE_WORDS = new Set(
  'up down on off in out open close start stop begin end enable disable active inactive online offline true false yes no new old add remove set get put post delete head read write load save accept reject allow deny block pass drop'.split(
    ' ',
  ),
);

/**
 * Whether a token (or the value of `key=value`, quotes and punctuation around
 * it ignored) is a state or operation word: a verb form (`started`, `paused`,
 * `LOOKING`) or one of STATE_WORDS. Two such words in the same place make two
 * statements (`Service started` vs `Service stopped`), where two other words
 * may be a variable (`Invalid user admin` vs `Invalid user root`). Judged by
 * shape alone: letters only, no digits, so names and ids never qualify.
 */
export function isStateWord(token: string): boolean {
  const eq = token.indexOf('=');
  let start = eq >= 0 ? eq + 1 : 0;
  let end = token.length;
  while (start < end && '"\'([<'.includes(token[start]!)) start++;
  while (end > start && '"\')]>,.:;!'.includes(token[end - 1]!)) end--;
  const n = end - start;
  if (n < 2 || n > 16) return false;
  let upper = 0;
  for (let i = start; i < end; i++) {
    const code = token.charCodeAt(i);
    if (code >= 65 && code <= 90) upper++;
    else if (code < 97 || code > 122) return false;
  }
  // Mixed case (`CamelCase`, `McDonald`) is a name, not a state: lower case, capitals, or one capital first.
  if (upper !== 0 && upper !== n && !(upper === 1 && isUpperAt(token, start))) return false;
  const word = token.slice(start, end).toLowerCase();
  if (STATE_WORDS.has(word)) return true;
  return (n >= 5 && word.endsWith('ed')) || (n >= 6 && word.endsWith('ing'));
}

function isUpperAt(token: string, i: number): boolean {
  const code = token.charCodeAt(i);
  return code >= 65 && code <= 90;
}

/** The key of a `key=value` token (with its `=`), or undefined. */
function keyOf(token: string): string | undefined {
  if (isRequestUrl(token)) return undefined;
  const eq = token.indexOf('=');
  return eq > 0 ? token.slice(0, eq + 1) : undefined;
}

/** Whether a token is a key with a double-quoted value (`tag="View Lock",`). */
function isQuotedValue(token: string): boolean {
  const eq = token.indexOf('=');
  return eq > 0 && token.charCodeAt(eq + 1) === 34;
}

/** Whether two tokens are values of the same key (`uid=0` and `uid=33`, not `(uid=0)` and `LOGIN(uid=0)`). */
function sameKey(a: string, b: string): boolean {
  const key = keyOf(a);
  return key !== undefined && key === keyOf(b);
}

/**
 * What two differing tokens become in a template: `key=<*>` when they share a
 * key (`key=<*>,` when both end in the same punctuation, so the template still
 * takes the next value of that key), `<*>` otherwise.
 */
function generalise(a: string, b: string): string {
  if (!sameKey(a, b)) return WILDCARD;
  const last = a[a.length - 1]!;
  return keyOf(a)! + WILDCARD + (',;)]}'.includes(last) && b.endsWith(last) ? last : '');
}

/**
 * The message's routing key at one tree level. A request URL routes as a
 * wildcard: endpoints are words that merge once distinctValues of them are
 * seen, which they can only do in one leaf (`GET /a HTTP/1.1 404`, the
 * message of an access-log record, has its URL among the first tokens).
 */
function routeKey(token: string | undefined): string {
  if (token === undefined) return '';
  return isRequestUrl(token) ? WILDCARD : token;
}

/** The miner: `add` a message to group it, `match` to look one up, `clusters()` to list the templates. */
export class TemplateMiner {
  readonly options: Readonly<TemplateMinerOptions>;
  private readonly root = new Map<number, TreeNode>();
  private readonly byId: LruMap<number, TemplateCluster>;
  private readonly leafOf = new Map<number, TreeNode>();
  /** When each cluster was last created or joined (a counter of adds), for a full leaf's eviction. */
  private readonly lastJoined = new Map<number, number>();
  private adds = 0;
  private leafEvicted = 0;
  private nextId = 1;

  constructor(options: Partial<TemplateMinerOptions> = {}) {
    this.options = { ...DEFAULT_MINER_OPTIONS, ...options };
    this.byId = new LruMap(this.options.maxClusters, (id, cluster) => this.forget(id, cluster));
  }

  /** Clusters currently kept. */
  get size(): number {
    return this.byId.size;
  }

  /** Clusters forgotten to stay within `maxClusters` and `maxLeafClusters`. */
  get evicted(): number {
    return this.byId.evicted + this.leafEvicted;
  }

  /** All clusters kept, least recently used first. */
  clusters(): TemplateCluster[] {
    return [...this.byId.values()];
  }

  /** The cluster with `id`, if still kept. */
  cluster(id: number): TemplateCluster | undefined {
    return this.byId.peek(id);
  }

  /** Mines one message: finds or creates its cluster and generalises the template. */
  add(message: string): TemplateMatch {
    const tokens = maskTokens(message);
    const leaf = this.leaf(tokens, true)!;
    const best = this.best([leaf], tokens) ?? this.best(this.nearLeaves(tokens, true), tokens);
    if (best) return this.join(best, tokens, []);
    const siblings = this.siblings(leaf, this.nearLeaves(tokens, false), tokens);
    if (siblings.length + 1 >= this.options.distinctValues) {
      const survivor = siblings.reduce((a, b) => (b.size > a.size ? b : a));
      const absorbed = siblings.filter((sibling) => sibling !== survivor);
      for (const sibling of absorbed) this.absorb(survivor, sibling);
      const match = this.join(survivor, tokens, absorbed);
      this.reroute(survivor);
      return match;
    }
    const cluster: TemplateCluster = { id: this.nextId++, tokens, size: 1 };
    if (leaf.clusters.length >= this.options.maxLeafClusters) this.evictLeastJoined(leaf);
    leaf.clusters.push(cluster);
    this.leafOf.set(cluster.id, leaf);
    this.lastJoined.set(cluster.id, ++this.adds);
    this.byId.set(cluster.id, cluster);
    return { cluster, template: templateOf(cluster), changed: true, absorbed: [] };
  }

  /** The cluster a message would join, without changing anything. */
  match(message: string): TemplateCluster | undefined {
    const tokens = maskTokens(message);
    const leaf = this.leaf(tokens, false);
    return (leaf && this.best([leaf], tokens)) ?? this.best(this.nearLeaves(tokens, true), tokens);
  }

  private join(cluster: TemplateCluster, tokens: readonly string[], absorbed: TemplateCluster[]): TemplateMatch {
    cluster.size++;
    this.byId.get(cluster.id);
    this.lastJoined.set(cluster.id, ++this.adds);
    const changed = this.generaliseInto(cluster, tokens) || absorbed.length > 0;
    return { cluster, template: templateOf(cluster), changed, absorbed };
  }

  /** Replaces by `<*>` (or `key=<*>`) the template's tokens that differ from `tokens`; whether any did. */
  private generaliseInto(cluster: TemplateCluster, tokens: readonly string[]): boolean {
    let changed = false;
    for (let i = 0; i < tokens.length; i++) {
      const token = cluster.tokens[i]!;
      if (token !== tokens[i] && token !== WILDCARD) {
        const general = generalise(token, tokens[i]!);
        if (general !== token) {
          cluster.tokens[i] = general;
          changed = true;
        }
      }
    }
    return changed;
  }

  /**
   * The clusters of `leaves` that differ from the message in one constant word
   * only, all at the same position (the one most of them differ at): the
   * distinct values that position has shown, besides the message's.
   */
  private siblings(own: TreeNode, leaves: readonly TreeNode[], tokens: readonly string[]): TemplateCluster[] {
    const byPosition = new Map<number, TemplateCluster[]>();
    const score = { value: 0 };
    let most: TemplateCluster[] = [];
    for (const leaf of leaves) {
      for (const cluster of leaf.clusters) {
        const word = similarity(cluster.tokens, tokens, score);
        if (word < 0 || score.value < this.options.similarity) continue;
        if (leaf !== own && sharedWords(cluster.tokens, tokens) < ROUTED_SIBLING_WORDS) continue;
        const group = byPosition.get(word) ?? [];
        group.push(cluster);
        byPosition.set(word, group);
        if (group.length > most.length) most = group;
      }
    }
    return most;
  }

  /**
   * The leaves whose route differs from the message's in one routed token:
   * with `wildcardOnly`, those with the wildcard there (a template whose first
   * word became a variable); else any token there, and the message's own leaf.
   * A variable among the first words (`com.apple.xpc.launchd: ...`) routes
   * each value to its own leaf, so siblings that differ there are sought
   * beyond the leaf. Only messages that find no cluster pay for it.
   */
  private nearLeaves(tokens: readonly string[], wildcardOnly: boolean): TreeNode[] {
    const leaves: TreeNode[] = [];
    const root = this.root.get(tokens.length);
    if (!root) return leaves;
    const depth = Math.min(this.options.prefixTokens, tokens.length);
    const walk = (node: TreeNode, level: number, differed: boolean): void => {
      if (level === depth) {
        if (differed || !wildcardOnly) leaves.push(node);
        return;
      }
      const exact = this.child(node, routeKey(tokens[level]));
      if (exact) walk(exact, level + 1, differed);
      if (differed) return;
      if (wildcardOnly) {
        const wildcard = node.children.get(WILDCARD);
        if (wildcard && wildcard !== exact) walk(wildcard, level + 1, true);
        return;
      }
      for (const other of node.children.values()) if (other !== exact) walk(other, level + 1, true);
    };
    walk(root, 0, false);
    return leaves;
  }

  /** The child a token routes to: its own, or the wildcard child of a full node. */
  private child(node: TreeNode, token: string): TreeNode | undefined {
    const own = node.children.get(token);
    return own ?? (node.children.size >= this.options.maxChildren ? node.children.get(WILDCARD) : undefined);
  }

  /** Moves a merged cluster to the leaf its template routes to (the wildcard child where a first word became `<*>`). */
  private reroute(cluster: TemplateCluster): void {
    const from = this.leafOf.get(cluster.id);
    const to = this.leaf(cluster.tokens, true)!;
    if (from === to) return;
    const joined = this.lastJoined.get(cluster.id)!;
    this.forget(cluster.id, cluster);
    if (to.clusters.length >= this.options.maxLeafClusters) this.evictLeastJoined(to);
    to.clusters.push(cluster);
    this.leafOf.set(cluster.id, to);
    this.lastJoined.set(cluster.id, joined);
  }

  /** Merges `other` into `survivor`: one template, their sizes added, `other` forgotten. */
  private absorb(survivor: TemplateCluster, other: TemplateCluster): void {
    survivor.size += other.size;
    this.generaliseInto(survivor, other.tokens);
    other.mergedInto = survivor;
    this.byId.delete(other.id);
    this.forget(other.id, other);
  }

  private leaf(tokens: readonly string[], create: boolean): TreeNode | undefined {
    let node: TreeNode | undefined = this.root.get(tokens.length);
    if (!node) {
      if (!create) return undefined;
      node = newNode();
      this.root.set(tokens.length, node);
    }
    const depth = Math.min(this.options.prefixTokens, tokens.length);
    for (let level = 0; level < depth; level++) {
      const token = routeKey(tokens[level]);
      let child: TreeNode | undefined = node.children.get(token);
      if (!child) {
        // A full node sends new tokens to its wildcard child, so the tree stays bounded.
        const key = node.children.size >= this.options.maxChildren ? WILDCARD : token;
        child = node.children.get(key);
        if (!child) {
          if (!create) return undefined;
          child = newNode();
          node.children.set(key, child);
        }
      }
      node = child;
    }
    return node;
  }

  /** The most similar cluster of `leaves` the message may join as it is (no constant word differs). */
  private best(leaves: readonly TreeNode[], tokens: readonly string[]): TemplateCluster | undefined {
    let best: TemplateCluster | undefined;
    let bestScore = -1;
    const score = { value: 0 };
    for (const leaf of leaves) {
      for (const cluster of leaf.clusters) {
        if (similarity(cluster.tokens, tokens, score) !== NO_WORD) continue;
        if (score.value > bestScore) {
          best = cluster;
          bestScore = score.value;
        }
      }
    }
    return best && bestScore >= this.options.similarity ? best : undefined;
  }

  /** Forgets the cluster of a full leaf that was joined longest ago. */
  private evictLeastJoined(leaf: TreeNode): void {
    let oldest = leaf.clusters[0]!;
    for (const cluster of leaf.clusters)
      if (this.lastJoined.get(cluster.id)! < this.lastJoined.get(oldest.id)!) oldest = cluster;
    this.byId.delete(oldest.id);
    this.forget(oldest.id, oldest);
    this.leafEvicted++;
  }

  private forget(id: number, cluster: TemplateCluster): void {
    const leaf = this.leafOf.get(id);
    this.leafOf.delete(id);
    this.lastJoined.delete(id);
    if (!leaf) return;
    const index = leaf.clusters.indexOf(cluster);
    if (index >= 0) leaf.clusters.splice(index, 1);
  }
}
