// The official TypeScript MCP SDK client, for the hub tests: connects to URL with KEY over
// streamable HTTP, lists the tools, calls TOOL with ARGS (JSON) and prints both as JSON.
// Usage: node ts_client.mjs URL KEY TOOL ARGS
// (Copied next to the SDK's node_modules by the test, so that `import` resolves.)
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, key, tool, args] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${key}` } },
});
const client = new Client({ name: "tollgate-hub-test", version: "1.0.0" });
await client.connect(transport);
const tools = await client.listTools();
const result = await client.callTool({ name: tool, arguments: JSON.parse(args) });
console.log(JSON.stringify({ tools: tools.tools.map((t) => t.name), result }));
await transport.terminateSession();
await client.close();
