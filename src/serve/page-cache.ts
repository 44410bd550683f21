/**
 * Serialised API pages kept while the data they came from is unchanged: the
 * revision is an object that stays the same until the data changes, so a new
 * revision drops every page at once. Bounded: at most {@link MAX_PAGES}
 * queries are kept per revision.
 */

/** Distinct queries kept per revision (a client paging through 10,000 cases asks for 10 to 100). */
export const MAX_PAGES = 256;

export class PageCache {
  private revision: object | undefined;
  private readonly pages = new Map<string, string | ArrayBuffer | Buffer>();

  /** The page for `key` at `revision`, made by `make` when it is not kept. */
  get(revision: object, key: string, make: () => string | ArrayBuffer | Buffer): string | ArrayBuffer | Buffer {
    if (revision !== this.revision) {
      this.revision = revision;
      this.pages.clear();
    }
    let page = this.pages.get(key);
    if (page === undefined) {
      page = make();
      if (this.pages.size < MAX_PAGES) this.pages.set(key, page);
    }
    return page;
  }
}
