// How to call the deployment: its model id as the gateway serves it (the offering's model_id, the id
// GET /v1/models lists) and ready-to-paste snippets on the network's gateway. The key is a
// placeholder on purpose: a real key is shown once, in the console, never on a public page.
import { Tabs } from "radix-ui";
import { Card, CopyButton, TabList } from "../../components/ui.tsx";
import { Link } from "../../lib/router.tsx";

export const KEY_PLACEHOLDER = "sk-fomo-…";
const PROMPT = "Once upon a time";

export interface Snippet {
  id: "curl" | "python" | "javascript";
  label: string;
  code: string;
}

/** The three snippets for `model` on the gateway at `gatewayUrl` (…/v1). */
export function snippetsFor(model: string, gatewayUrl: string): Snippet[] {
  const base = gatewayUrl.replace(/\/+$/, "");
  const body = JSON.stringify({ model, messages: [{ role: "user", content: PROMPT }], max_tokens: 64 });
  return [
    {
      id: "curl",
      label: "curl",
      code: [
        `curl ${base}/chat/completions \\`,
        `  -H "Authorization: Bearer ${KEY_PLACEHOLDER}" \\`,
        `  -H "Content-Type: application/json" \\`,
        `  -d '${body}'`,
      ].join("\n"),
    },
    {
      id: "python",
      label: "Python",
      code: [
        "from openai import OpenAI",
        "",
        `client = OpenAI(base_url="${base}", api_key="${KEY_PLACEHOLDER}")`,
        "reply = client.chat.completions.create(",
        `    model="${model}",`,
        `    messages=[{"role": "user", "content": "${PROMPT}"}],`,
        "    max_tokens=64,",
        ")",
        "print(reply.choices[0].message.content)",
      ].join("\n"),
    },
    {
      id: "javascript",
      label: "JavaScript",
      code: [
        'import OpenAI from "openai";',
        "",
        `const client = new OpenAI({ baseURL: "${base}", apiKey: "${KEY_PLACEHOLDER}" });`,
        "const reply = await client.chat.completions.create({",
        `  model: "${model}",`,
        `  messages: [{ role: "user", content: "${PROMPT}" }],`,
        "  max_tokens: 64,",
        "});",
        "console.log(reply.choices[0].message.content);",
      ].join("\n"),
    },
  ];
}

export function ModelAccess({ model, gatewayUrl }: { model: string; gatewayUrl: string }) {
  const snippets = snippetsFor(model, gatewayUrl);
  return (
    <Card title="Use the model">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-sm text-muted" id="model-id-label">
          Model id
        </span>
        <code aria-labelledby="model-id-label" data-testid="model-id" className="min-w-0 rounded bg-raised px-2 py-1 font-mono text-sm break-all">
          {model}
        </code>
        <CopyButton text={model} label="Copy model id" />
      </div>
      <p className="mt-2 text-sm text-muted">
        OpenAI-compatible at <code className="font-mono break-all">{gatewayUrl}</code>.{" "}
        <Link to="/console" className="text-accent underline">
          Get an API key in the console
        </Link>{" "}
        and put it in place of <code className="font-mono">{KEY_PLACEHOLDER}</code>.
      </p>
      <Tabs.Root defaultValue="curl" className="mt-4">
        <TabList label="Snippet language" tabs={snippets} />
        {snippets.map((s) => (
          <Tabs.Content key={s.id} value={s.id} className="mt-3 focus-visible:outline-2 focus-visible:outline-accent">
            <div className="mb-2 flex justify-end">
              <CopyButton text={s.code} label={`Copy ${s.label}`} />
            </div>
            <pre className="overflow-x-auto rounded-lg bg-page p-3 text-xs leading-relaxed" data-snippet={s.id}>
              <code>{s.code}</code>
            </pre>
          </Tabs.Content>
        ))}
      </Tabs.Root>
    </Card>
  );
}
