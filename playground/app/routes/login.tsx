import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { signIn } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Sign in · remix-live" }];

function safeNext(value: unknown): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/rooms";
}

export async function loader({ request }: LoaderFunctionArgs) {
  return json({ next: safeNext(new URL(request.url).searchParams.get("next")) });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const name = String(form.get("name") ?? "").trim();
  if (!/^[a-z0-9_-]{1,30}$/i.test(name)) return json({ error: "Use 1 to 30 letters, digits, - or _." }, { status: 400 });
  return signIn(name, safeNext(form.get("next")));
}

export default function Login() {
  const [params] = useSearchParams();
  const result = useActionData<typeof action>();
  return (
    <main>
      <h1>Sign in</h1>
      <p>No password: pick a name. The Staff room is for alice only.</p>
      <Form method="post">
        <input type="hidden" name="next" value={params.get("next") ?? "/rooms"} />
        <input name="name" placeholder="Your name" aria-label="Your name" required />
        <button type="submit">Sign in</button>
      </Form>
      {result?.error ? <p role="alert">{result.error}</p> : null}
    </main>
  );
}
