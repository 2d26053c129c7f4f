// Sets of instants as half-open intervals [start, end) in epoch milliseconds: the operations
// availability is made of (opening hours minus busy times and closures, clamped to the window a
// booking may fall in). Pure. Inputs may be unsorted, overlapping, touching or empty; every result
// is normalised: sorted by start, no empty interval, none overlapping or touching another.

export type Interval = { readonly start: number; readonly end: number };

/** The same instants as `intervals`, normalised: overlapping and touching intervals joined. */
export function merge(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const { start, end } of sorted) {
    const last = merged.at(-1);
    // [a, b) and [b, c) cover [a, c) without a gap, so touching intervals join too.
    if (last && start <= last.end) {
      if (end > last.end) merged[merged.length - 1] = { start: last.start, end };
    } else {
      merged.push({ start, end });
    }
  }
  return merged;
}

/** The instants of `from` that are in none of `remove`. */
export function subtract(from: readonly Interval[], remove: readonly Interval[]): Interval[] {
  const cuts = merge(remove);
  const result: Interval[] = [];
  let j = 0;
  for (const interval of merge(from)) {
    let start = interval.start;
    // Cuts that end before this interval cannot touch the later ones either (both are sorted).
    while (j < cuts.length && cuts[j].end <= start) j++;
    for (let k = j; k < cuts.length && cuts[k].start < interval.end; k++) {
      if (cuts[k].start > start) result.push({ start, end: cuts[k].start });
      start = Math.max(start, cuts[k].end);
    }
    if (start < interval.end) result.push({ start, end: interval.end });
  }
  return result;
}

/** The instants in both `a` and `b`. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const [left, right] = [merge(a), merge(b)];
  const result: Interval[] = [];
  let [i, j] = [0, 0];
  while (i < left.length && j < right.length) {
    const start = Math.max(left[i].start, right[j].start);
    const end = Math.min(left[i].end, right[j].end);
    if (start < end) result.push({ start, end });
    // The one that ends first cannot overlap anything later in the other list.
    if (left[i].end < right[j].end) i++;
    else j++;
  }
  return result;
}

/** The instants of `intervals` within `range`. */
export function clamp(intervals: readonly Interval[], range: Interval): Interval[] {
  return intersect(intervals, [range]);
}

/** Whether `instant` is in one of the intervals (the start is in, the end is not). */
export function covers(intervals: readonly Interval[], instant: number): boolean {
  return intervals.some((i) => i.start <= instant && instant < i.end);
}
