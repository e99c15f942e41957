export { ChannelConfig, channelTabSettings, type ChannelConfigProps } from './ChannelConfig';
