// oidc-provider ships no types; the little the local provider (sim/idp.ts) uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'
  interface InteractionDetails {
    uid: string
    prompt: { name: string, details: Record<string, unknown> }
    params: Record<string, unknown>
    session?: { accountId?: string }
    grantId?: string
  }
  interface Grant {
    addOIDCScope (scope: string): void
    addOIDCClaims (claims: string[]): void
    save (): Promise<string>
  }
  export default class Provider {
    constructor (issuer: string, configuration: Record<string, unknown>)
    Grant: new (props: { accountId: string, clientId: string }) => Grant
    callback (): (req: IncomingMessage, res: ServerResponse) => void
    interactionDetails (req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>
    interactionFinished (req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, opts?: { mergeWithLastSubmission?: boolean }): Promise<void>
    on (event: string, listener: (...args: unknown[]) => void): this
  }
}
