export {
  createStandaloneHost,
  type ChannelTabSettings,
  type HostContext,
  type HostFrameContext,
  type HostTeam,
  type HostTheme,
  type TeamsHost,
} from './teams-host';
export { connectTeamsHost } from './teams-js-host';
