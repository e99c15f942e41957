import { CloudAdapter, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { BotSettings } from '../config';
import { createBotFrameworkAuth } from '../http/auth/bot-framework-auth';
import {
  BotConnectorClient,
  type CardSender,
  type TokenProvider,
} from './delivery/connector-client';

/** The Bot Framework side of the bot, built once by the composition root. */
export type BotConnector = {
  /** Inbound turns: channel JWTs checked when the bot is registered, anonymous (local only) when not. */
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
 * proactive request to one origin instead of the stored `serviceUrl` (tests, bench).
 */
export function createBotConnector(
  registration: BotSettings['registration'],
  serviceUrlOverride?: string,
): BotConnector {
  const adapter = new CloudAdapter(
    createBotFrameworkAuth({
      botId: registration?.id,
      botPassword: registration?.password,
      botTenantId: registration?.tenantId,
      botType: registration?.type,
    }),
  );
  const token: TokenProvider = registration
    ? botTokenProvider(registration)
    : () => Promise.resolve(undefined);
  return {
    adapter,
    sender: new BotConnectorClient({ token, serviceUrlOverride }),
    registered: registration !== undefined,
  };
}

/** Client-credentials tokens for the Bot Connector, through botbuilder's own credentials (cached by it). */
function botTokenProvider(registration: NonNullable<BotSettings['registration']>): TokenProvider {
  const factory = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: registration.id,
    MicrosoftAppPassword: registration.password,
    MicrosoftAppType: registration.type,
    ...(registration.type === 'SingleTenant'
      ? { MicrosoftAppTenantId: registration.tenantId }
      : {}),
  });
  const login = `https://login.microsoftonline.com/${registration.tenantId ?? 'botframework.com'}`;
  let credentials: Promise<unknown> | undefined;
  return async () => {
    credentials ??= factory.createCredentials(registration.id, BOT_FRAMEWORK_SCOPE, login, true);
    const c = (await credentials) as { getToken?: (force?: boolean) => Promise<string> };
    return c.getToken ? c.getToken() : undefined;
  };
}
