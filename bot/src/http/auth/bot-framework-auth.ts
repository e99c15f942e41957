import type {
  ConfigurationBotFrameworkAuthentication,
  ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import { botbuilder } from '../../teams/botbuilder-lazy';

/** What the bot's authentication needs (Agents Toolkit names in the environment). */
export type BotAuthSettings = {
  /** `BOT_ID`: the bot's Entra app id. `undefined`: authentication OFF (local fakes, Agents Playground). */
  readonly botId: string | undefined;
  /** `BOT_PASSWORD`. */
  readonly botPassword: string | undefined;
  /** `BOT_TENANT_ID`; required for `SingleTenant`. */
  readonly botTenantId?: string | undefined;
  /** `BOT_TYPE`. @default "MultiTenant", or "SingleTenant" when a tenant id is given */
  readonly botType?: 'MultiTenant' | 'SingleTenant' | undefined;
  /**
   * Where the channel's signing keys are described. Only tests (a loopback fake) and sovereign clouds
   * change it. @default "https://login.botframework.com/v1/.well-known/openidconfiguration"
   */
  readonly openIdMetadataUrl?: string | undefined;
};

/** botframework-connector's public-cloud `AuthenticationConstants` (not re-exported by botbuilder). */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrlPrefix: 'https://login.microsoftonline.com/',
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromEmulatorOpenIdMetadataUrl:
    'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
} as const;

/** True when inbound Bot Framework tokens are checked (a bot id is configured). */
export const isBotAuthEnabled = (settings: BotAuthSettings): boolean => Boolean(settings.botId);

/**
 * The `BotFrameworkAuthentication` for `new CloudAdapter(...)`. With `BOT_ID`/`BOT_PASSWORD`, every
 * `POST /api/messages` must carry a channel JWT (issuer https://api.botframework.com, audience the
 * bot id, `serviceurl` claim equal to the activity's) signed by a key from the OpenID metadata;
 * anything else is refused with 401 before the bot runs. Without `BOT_ID` botbuilder accepts
 * anonymous requests, which is only for local use.
 */
export function createBotFrameworkAuth(
  settings: BotAuthSettings,
): ConfigurationBotFrameworkAuthentication {
  const {
    CallerIdConstants,
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
  } = botbuilder();
  const appType = settings.botType ?? (settings.botTenantId ? 'SingleTenant' : 'MultiTenant');
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: settings.botId ?? '',
    MicrosoftAppPassword: settings.botPassword ?? '',
    MicrosoftAppType: appType,
    MicrosoftAppTenantId: appType === 'SingleTenant' ? (settings.botTenantId ?? '') : '',
  });
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: settings.botId ?? '',
    MicrosoftAppTenantId: settings.botTenantId ?? '',
  };
  if (settings.openIdMetadataUrl) {
    // botbuilder treats any override as "fully parameterized": every other value must be given too.
    Object.assign(options, {
      ValidateAuthority: true,
      ToChannelFromBotLoginUrl:
        appType === 'SingleTenant' && settings.botTenantId
          ? `${PUBLIC_CLOUD.ToChannelFromBotLoginUrlPrefix}${settings.botTenantId}`
          : PUBLIC_CLOUD.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: PUBLIC_CLOUD.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: PUBLIC_CLOUD.ToBotFromChannelTokenIssuer,
      OAuthUrl: PUBLIC_CLOUD.OAuthUrl,
      ToBotFromChannelOpenIdMetadataUrl: settings.openIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: PUBLIC_CLOUD.ToBotFromEmulatorOpenIdMetadataUrl,
      CallerId: CallerIdConstants.PublicAzureChannel,
    } satisfies ConfigurationBotFrameworkAuthenticationOptions);
  }
  return new ConfigurationBotFrameworkAuthentication(options, credentials);
}
