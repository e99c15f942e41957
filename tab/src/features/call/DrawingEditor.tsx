import { Button, Text, ToggleButton, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { canvasBlob } from '../../call';
import { useI18n } from '../../app/i18n';
import {
  COLOURS,
  drawShape,
  extend,
  lineWidthFor,
  type Colour,
  type Point,
  type Shape,
  type Tool,
} from './drawing';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  bar: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  group: { display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'center' },
  canvas: {
    maxWidth: '100%',
    maxHeight: '60vh',
    objectFit: 'contain',
    cursor: 'crosshair',
    touchAction: 'none',
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  swatch: {
    display: 'inline-block',
    width: '14px',
    height: '14px',
    borderRadius: '50%',
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    forcedColorAdjust: 'none',
  },
});

const TOOLS: readonly Tool[] = ['arrow', 'circle', 'freehand'];
const TOOL_KEY = {
  arrow: 'callToolArrow',
  circle: 'callToolCircle',
  freehand: 'callToolFreehand',
} as const;

export type DrawingEditorProps = {
  readonly url: string;
  readonly width: number;
  readonly height: number;
  readonly onSend: (blob: Blob, size: { width: number; height: number }) => Promise<boolean>;
};

/** Draws arrows, circles and freehand lines on a snapshot, with undo and colours; mouse, touch or keyboard. */
export function DrawingEditor({ url, width, height, onSend }: DrawingEditorProps) {
  const { t } = useI18n();
  const styles = useStyles();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [image, setImage] = useState<HTMLImageElement | undefined>(undefined);
  const [tool, setTool] = useState<Tool>('arrow');
  const [colour, setColour] = useState<Colour>('red');
  const [shapes, setShapes] = useState<readonly Shape[]>([]);
  const [draft, setDraft] = useState<Shape | undefined>(undefined);
  const [cursor, setCursor] = useState<Point | undefined>(undefined);
  const [sent, setSent] = useState(false);
  const lineWidth = lineWidthFor(width, height);

  useEffect(() => {
    const img = new Image();
    img.onload = () => setImage(img);
    img.src = url;
  }, [url]);

  useEffect(() => {
    const ctx = canvasRef.current?.getContext('2d');
    if (!ctx || !image) return;
    ctx.drawImage(image, 0, 0, width, height);
    for (const s of shapes) drawShape(ctx, s, lineWidth);
    if (draft) drawShape(ctx, draft, lineWidth);
    if (cursor) {
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 2;
      ctx.strokeRect(
        cursor.x - lineWidth * 2,
        cursor.y - lineWidth * 2,
        lineWidth * 4,
        lineWidth * 4,
      );
    }
  }, [image, shapes, draft, cursor, width, height, lineWidth]);

  const pointOf = (event: PointerEvent<HTMLCanvasElement>): Point => {
    const rect = event.currentTarget.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) / rect.width) * width,
      y: ((event.clientY - rect.top) / rect.height) * height,
    };
  };
  const commit = (shape: Shape) => {
    setShapes((all) => [...all, shape]);
    setDraft(undefined);
    setSent(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLCanvasElement>) => {
    const step = Math.max(width, height) / 40;
    const at = cursor ?? { x: width / 2, y: height / 2 };
    const moves: Record<string, Point> = {
      ArrowLeft: { x: at.x - step, y: at.y },
      ArrowRight: { x: at.x + step, y: at.y },
      ArrowUp: { x: at.x, y: at.y - step },
      ArrowDown: { x: at.x, y: at.y + step },
    };
    const moved = moves[event.key];
    if (moved) {
      event.preventDefault();
      const p = {
        x: Math.min(width, Math.max(0, moved.x)),
        y: Math.min(height, Math.max(0, moved.y)),
      };
      setCursor(p);
      if (draft) setDraft(extend(draft, p));
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (draft) commit(extend(draft, at));
      else {
        setCursor(at);
        setDraft({ tool, colour, points: [at] });
      }
    } else if (event.key === 'Escape' && draft) {
      event.preventDefault();
      setDraft(undefined);
    }
  };

  const send = async () => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    setCursor(undefined);
    // Redraw without the keyboard pointer before export.
    const ctx = canvas.getContext('2d');
    if (ctx && image) {
      ctx.drawImage(image, 0, 0, width, height);
      for (const s of shapes) drawShape(ctx, s, lineWidth);
    }
    const blob = await canvasBlob(canvas, 'image/jpeg', 0.85);
    setSent(await onSend(blob, { width, height }));
  };

  return (
    <div className={styles.root}>
      <div className={styles.bar}>
        <div className={styles.group} role="group" aria-label={t('callToolLabel')}>
          {TOOLS.map((name) => (
            <ToggleButton key={name} checked={tool === name} onClick={() => setTool(name)}>
              {t(TOOL_KEY[name])}
            </ToggleButton>
          ))}
        </div>
        <div className={styles.group} role="group" aria-label={t('callColourLabel')}>
          {(Object.keys(COLOURS) as Colour[]).map((name) => (
            <ToggleButton
              key={name}
              checked={colour === name}
              onClick={() => setColour(name)}
              aria-label={t(`callColour_${name}`)}
              title={t(`callColour_${name}`)}
              icon={<span className={styles.swatch} style={{ background: COLOURS[name] }} />}
            />
          ))}
        </div>
        <Button disabled={shapes.length === 0} onClick={() => setShapes((all) => all.slice(0, -1))}>
          {t('callUndo')}
        </Button>
        <Button appearance="primary" onClick={() => void send()}>
          {t('callSendDrawing')}
        </Button>
        {sent && (
          <Text role="status" aria-live="polite">
            {t('callDrawingSent')}
          </Text>
        )}
      </div>
      <canvas
        ref={canvasRef}
        width={width}
        height={height}
        className={styles.canvas}
        tabIndex={0}
        role="img"
        aria-label={t('callCanvasLabel')}
        data-testid="drawing-canvas"
        onKeyDown={onKeyDown}
        onBlur={() => setCursor(undefined)}
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          setDraft({ tool, colour, points: [pointOf(event)] });
        }}
        onPointerMove={(event) => {
          if (draft) setDraft(extend(draft, pointOf(event)));
        }}
        onPointerUp={(event) => {
          if (draft) commit(extend(draft, pointOf(event)));
        }}
      />
    </div>
  );
}
