import { makeStyles, tokens } from '@fluentui/react-components';

export const useBotStatusNoticeStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  reasons: {
    margin: `${tokens.spacingVerticalXS} 0 0`,
    paddingInlineStart: tokens.spacingHorizontalXL,
  },
});
