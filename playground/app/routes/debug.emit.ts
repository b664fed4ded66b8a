import { json, type ActionFunctionArgs } from "@remix-run/node";
import { emit } from "remix-live/server";

// Emits every `channel` of the form in one call, as one change that concerns several channels
// would: lets the e2e tests send events that reach several streams of a page at the same moment.
export async function action({ request }: ActionFunctionArgs) {
  const channels = (await request.formData()).getAll("channel").map(String);
  for (const channel of channels) emit(channel);
  return json({ emitted: channels });
}
