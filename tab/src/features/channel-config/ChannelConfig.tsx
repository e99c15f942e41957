import {
  MessageBar,
  MessageBarBody,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { TeamRef } from '@shared';
import { useEffect } from 'react';
import { useI18n } from '../../app/i18n';
import type { ChannelTabSettings, TeamsHost } from '../../teams';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalXL,
    maxWidth: '640px',
    color: tokens.colorNeutralForeground1,
  },
});

/** The channel tab's content URL: the tab page with the team in its query. */
export function channelTabSettings(
  origin: string,
  team: TeamRef,
  tabName: string,
): ChannelTabSettings {
  const query = new URLSearchParams({ teamId: team.id, teamName: team.name });
  if (team.channelId) query.set('channelId', team.channelId);
  const url = `${origin}/tab?${query}`;
  return {
    entityId: `call-queue-${team.id}`,
    contentUrl: url,
    websiteUrl: url,
    suggestedDisplayName: tabName,
  };
}

export type ChannelConfigProps = {
  readonly host: Pick<TeamsHost, 'config'>;
  readonly team: TeamRef | undefined;
  readonly origin: string;
};

/** The configuration page of the channel tab (frame context `settings`). */
export function ChannelConfig({ host, team, origin }: ChannelConfigProps) {
  const { t } = useI18n();
  const styles = useStyles();
  const tabName = t('configTabName');
  useEffect(() => {
    if (!team) {
      host.config.setValidityState(false);
      return;
    }
    host.config.registerOnSaveHandler(() =>
      Promise.resolve(channelTabSettings(origin, team, tabName)),
    );
    host.config.setValidityState(true);
  }, [host, team, origin, tabName]);

  return (
    <main className={styles.root}>
      <Title2 as="h1">{t('configHeading')}</Title2>
      {team ? (
        <Text>{t('configIntro', { team: team.name })}</Text>
      ) : (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{t('configNoTeam')}</MessageBarBody>
        </MessageBar>
      )}
    </main>
  );
}
