/**
 * What a task amounts to, shown beside the form so a researcher sees the data size before starting. (The model's
 * own size is the kind's business: the summary shows its registry chips instead of a formula for one kind.)
 */
export function runSize(p: number, trainFraction: number) {
  const pairs = p * p;
  const trainPairs = Math.round(trainFraction * pairs);
  return { pairs, trainPairs, testPairs: pairs - trainPairs, frequencies: Math.floor((p - 1) / 2) };
}
