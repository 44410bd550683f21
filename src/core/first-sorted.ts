/**
 * The first `n` of `items` in the order of `compare`, without sorting them
 * all: a sorted window of `n` that an item enters only when it sorts before
 * the window's last. For reports that list the top 100 of tens of thousands
 * (subnets, addresses), where a full sort costs more than the rest of the listing.
 */
export function firstSorted<T>(items: Iterable<T>, n: number, compare: (a: T, b: T) => number): T[] {
  const window: T[] = [];
  if (n <= 0) return window;
  for (const item of items) {
    if (window.length === n && compare(item, window[n - 1]!) >= 0) continue;
    // Binary search for the first element that sorts after `item` (equal ones keep their order).
    let low = 0;
    let high = window.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compare(item, window[mid]!) < 0) high = mid;
      else low = mid + 1;
    }
    window.splice(low, 0, item);
    if (window.length > n) window.pop();
  }
  return window;
}
