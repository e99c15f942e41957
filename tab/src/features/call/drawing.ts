/** A point in the snapshot's own pixels. */
export type Point = { readonly x: number; readonly y: number };

/** What the agent can draw. */
export type Tool = 'arrow' | 'circle' | 'freehand';

/** The colours offered (strong enough on photos, distinguishable by name for screen readers). */
export const COLOURS = {
  red: '#e81123',
  yellow: '#ffb900',
  green: '#16c60c',
  blue: '#0078d4',
} as const;
export type Colour = keyof typeof COLOURS;

/** One finished (or in-progress) shape. */
export type Shape = {
  readonly tool: Tool;
  readonly colour: Colour;
  readonly points: readonly Point[];
};

/** Line width for an image of this size: visible on a phone once scaled down. */
export const lineWidthFor = (width: number, height: number): number =>
  Math.max(3, Math.round(Math.max(width, height) / 180));

/** Draws one shape onto the context (in image pixels). */
export function drawShape(ctx: CanvasRenderingContext2D, shape: Shape, lineWidth: number): void {
  const points = shape.points;
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return;
  ctx.strokeStyle = COLOURS[shape.colour];
  ctx.fillStyle = COLOURS[shape.colour];
  ctx.lineWidth = lineWidth;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  if (shape.tool === 'freehand') {
    ctx.moveTo(first.x, first.y);
    for (const p of points.slice(1)) ctx.lineTo(p.x, p.y);
    if (points.length === 1) ctx.lineTo(first.x + 0.1, first.y);
    ctx.stroke();
  } else if (shape.tool === 'circle') {
    const r = Math.hypot(last.x - first.x, last.y - first.y);
    ctx.arc(first.x, first.y, Math.max(r, lineWidth), 0, Math.PI * 2);
    ctx.stroke();
  } else {
    ctx.moveTo(first.x, first.y);
    ctx.lineTo(last.x, last.y);
    ctx.stroke();
    const angle = Math.atan2(last.y - first.y, last.x - first.x);
    const head = lineWidth * 5;
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    ctx.lineTo(last.x - head * Math.cos(angle - 0.45), last.y - head * Math.sin(angle - 0.45));
    ctx.lineTo(last.x - head * Math.cos(angle + 0.45), last.y - head * Math.sin(angle + 0.45));
    ctx.closePath();
    ctx.fill();
  }
}

/** Adds a point to a shape being drawn: freehand keeps them all, arrow and circle keep start and end. */
export function extend(shape: Shape, point: Point): Shape {
  const start = shape.points[0] ?? point;
  return {
    ...shape,
    points: shape.tool === 'freehand' ? [...shape.points, point] : [start, point],
  };
}
