import { Spinner } from '@fluentui/react-components';
import { useEffect, useState } from 'react';

export type QrCodeProps = {
  readonly value: string;
  /** The accessible name of the image. */
  readonly label: string;
  readonly size: number;
  readonly className?: string | undefined;
};

/** A QR code as an SVG image, dark on white in every theme so phones can read it. */
export function QrCode({ value, label, size, className }: QrCodeProps) {
  const [svg, setSvg] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    let current = true;
    // Loaded on demand: the QR encoder is not needed until a link exists.
    void import('qrcode')
      .then((qr) =>
        qr.toString(value, {
          type: 'svg',
          errorCorrectionLevel: 'M',
          margin: 2,
          color: { dark: '#000000', light: '#ffffff' },
        }),
      )
      .then((text) => {
        if (current) setSvg(text);
      })
      .catch(() => {
        // No QR code is a lesser loss than a broken panel: the link and texts still work.
        if (current) setSvg(null);
      });
    return () => {
      current = false;
    };
  }, [value]);
  if (svg === undefined) return <Spinner size="small" aria-label={label} />;
  if (svg === null) return null;
  return (
    <img
      className={className}
      src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`}
      alt={label}
      width={size}
      height={size}
    />
  );
}
