import type { CloudAdapter } from 'botbuilder';
import type { BotSettings } from '../config';
import { createBotFrameworkAuth } from '../http/auth/bot-framework-auth';
import { botbuilder } from './botbuilder-lazy';
import {
  BotConnectorClient,
  type CardSender,
  type TokenProvider,
} from './delivery/connector-client';

/** The Bot Framework side of the bot, built once by the composition root. */
export type BotConnector = {
  /**
   * Inbound turns: channel JWTs checked when the bot is registered, anonymous (local only) when not.
   * Built on first use (the first turn), which loads botbuilder (see `botbuilder-lazy.ts`).
   */
  readonly adapter: CloudAdapter;
  /** Proactive cards through the Bot Connector, with the bot's own client-credentials tokens. */
  readonly sender: CardSender;
  /** True with a Bot Framework registration (`BOT_ID`): real Teams, card refresh on. */
  readonly registered: boolean;
};

const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';

/**
 * Builds botbuilder's `CloudAdapter` and the Bot Connector client from the bot's registration
 * (`undefined`: no authentication, the Agents Playground). `serviceUrlOverride` sends every
 * proactive request to one origin instead of the stored `serviceUrl` (tests, bench);
 * `openIdMetadataUrl` is where the channel's signing keys are described (tests: a loopback fake).
 */
export function createBotConnector(
  registration: BotSettings['registration'],
  options: {
    readonly serviceUrlOverride?: string | undefined;
    readonly openIdMetadataUrl?: string | undefined;
  } = {},
): BotConnector {
  let adapter: CloudAdapter | undefined;
  const token: TokenProvider = registration
    ? botTokenProvider(registration)
    : () => Promise.resolve(undefined);
  return {
    get adapter() {
      return (adapter ??= new (botbuilder().CloudAdapter)(
        createBotFrameworkAuth({
          botId: registration?.id,
          botPassword: registration?.password,
          botTenantId: registration?.tenantId,
          botType: registration?.type,
          openIdMetadataUrl: options.openIdMetadataUrl,
        }),
      ));
    },
    sender: new BotConnectorClient({ token, serviceUrlOverride: options.serviceUrlOverride }),
    registered: registration !== undefined,
  };
}

/** Client-credentials tokens for the Bot Connector, through botbuilder's own credentials (cached by it). */
function botTokenProvider(registration: NonNullable<BotSettings['registration']>): TokenProvider {
  const login = `https://login.microsoftonline.com/${registration.tenantId ?? 'botframework.com'}`;
  let credentials: Promise<unknown> | undefined;
  return async () => {
    // Built on the first card sent, like the adapter (botbuilder loads then).
    credentials ??= new (botbuilder().ConfigurationServiceClientCredentialFactory)({
      MicrosoftAppId: registration.id,
      MicrosoftAppPassword: registration.password,
      MicrosoftAppType: registration.type,
      ...(registration.type === 'SingleTenant'
        ? { MicrosoftAppTenantId: registration.tenantId }
        : {}),
    }).createCredentials(registration.id, BOT_FRAMEWORK_SCOPE, login, true);
    const c = (await credentials) as { getToken?: (force?: boolean) => Promise<string> };
    return c.getToken ? c.getToken() : undefined;
  };
}
