import { makeStyles, tokens } from '@fluentui/react-components';

export const useBotStatusNoticeStyles = makeStyles({
  root: { minWidth: 0 },
  details: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  paragraph: { margin: `${tokens.spacingVerticalXS} 0 0` },
  reasons: {
    margin: `${tokens.spacingVerticalXS} 0 0`,
    paddingInlineStart: tokens.spacingHorizontalXL,
  },
});
