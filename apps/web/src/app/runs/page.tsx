import { redirect } from 'next/navigation';

/**
 * The runs list lives at `/`; `/runs` is kept as an alias so URLs can be hacked upwards from `/runs/<id>`. The
 * query (the list's filters and sort) goes along.
 */
export default async function RunsAliasPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(key, v);
  }
  const query = params.toString();
  redirect(query ? `/?${query}` : '/');
}
