import { redirect } from 'next/navigation';

/** The runs list lives at `/`; `/runs` is kept as an alias so URLs can be hacked upwards from `/runs/<id>`. */
export default function RunsAliasPage() {
  redirect('/');
}
