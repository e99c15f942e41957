/**
 * @jest-environment node
 */
import {
  COLOURS,
  drawShape,
  extend,
  lineWidthFor,
  type Shape,
} from '../../../../tab/src/features/call/drawing';

/** A 2D context that records the calls and the style at each stroke or fill. */
function recorder() {
  const calls: string[] = [];
  const ctx: Record<string, unknown> = { strokeStyle: '', fillStyle: '', lineWidth: 0 };
  for (const name of ['beginPath', 'moveTo', 'lineTo', 'arc', 'closePath']) {
    ctx[name] = (...args: number[]) =>
      calls.push(`${name}(${args.map((a) => Math.round(a * 100) / 100).join(',')})`);
  }
  ctx['stroke'] = () =>
    calls.push(`stroke ${String(ctx['strokeStyle'])} ${String(ctx['lineWidth'])}`);
  ctx['fill'] = () => calls.push(`fill ${String(ctx['fillStyle'])}`);
  return { calls, ctx: ctx as unknown as CanvasRenderingContext2D };
}

describe('drawing shapes', () => {
  it('keeps every point of a freehand line, and only start and end of an arrow or circle', () => {
    const free: Shape = { tool: 'freehand', colour: 'red', points: [{ x: 0, y: 0 }] };
    const arrow: Shape = { ...free, tool: 'arrow' };
    const moves = [
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ];
    expect(moves.reduce(extend, free).points).toHaveLength(3);
    expect(moves.reduce(extend, arrow).points).toEqual([
      { x: 0, y: 0 },
      { x: 2, y: 2 },
    ]);
  });

  it('draws lines thick enough to see on a phone, whatever the snapshot size', () => {
    expect(lineWidthFor(320, 240)).toBe(3);
    expect(lineWidthFor(1920, 1080)).toBe(11);
  });

  it('draws an arrow as a line from start to end with a filled head at the end', () => {
    const { calls, ctx } = recorder();
    const arrow: Shape = {
      tool: 'arrow',
      colour: 'blue',
      points: [
        { x: 0, y: 0 },
        { x: 100, y: 0 },
      ],
    };
    drawShape(ctx, arrow, 4);
    expect(calls.slice(0, 4)).toEqual([
      'beginPath()',
      'moveTo(0,0)',
      'lineTo(100,0)',
      `stroke ${COLOURS.blue} 4`,
    ]);
    // The head's two corners are behind the tip (x < 100), one on each side of the line.
    const corners = calls
      .filter((c) => c.startsWith('lineTo('))
      .slice(1)
      .map((c) => c.slice(7, -1).split(',').map(Number));
    expect(corners).toHaveLength(2);
    for (const [x] of corners) expect(x).toBeLessThan(100);
    expect(Math.sign(corners[0]?.[1] ?? 0)).toBe(-Math.sign(corners[1]?.[1] ?? 0));
    expect(calls.at(-1)).toBe(`fill ${COLOURS.blue}`);
  });

  it('draws a circle around the start point through the end point, never thinner than the line', () => {
    const { calls, ctx } = recorder();
    const circle = (end: { x: number; y: number }): Shape => ({
      tool: 'circle',
      colour: 'red',
      points: [{ x: 10, y: 10 }, end],
    });
    drawShape(ctx, circle({ x: 13, y: 14 }), 2);
    drawShape(ctx, circle({ x: 10, y: 10 }), 6);
    const arcs = calls.filter((c) => c.startsWith('arc('));
    expect(arcs).toEqual(['arc(10,10,5,0,6.28)', 'arc(10,10,6,0,6.28)']);
  });

  it('draws a single freehand point as a dot, and nothing for an empty shape', () => {
    const { calls, ctx } = recorder();
    drawShape(ctx, { tool: 'freehand', colour: 'green', points: [{ x: 5, y: 5 }] }, 3);
    expect(calls).toEqual([
      'beginPath()',
      'moveTo(5,5)',
      'lineTo(5.1,5)',
      `stroke ${COLOURS.green} 3`,
    ]);
    const empty = recorder();
    drawShape(empty.ctx, { tool: 'arrow', colour: 'red', points: [] }, 3);
    expect(empty.calls).toEqual([]);
  });
});
