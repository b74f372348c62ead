// undici's Agent, imported by path (lib/dispatcher/agent.js) so that the rest of undici is not
// loaded; the package's own typings describe only its main entry. The shape used is declared in
// undiciHttpClient.ts.
declare module "undici/lib/dispatcher/agent.js" {
  const Agent: unknown;
  export default Agent;
}
