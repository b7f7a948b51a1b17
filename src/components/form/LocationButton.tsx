/**
 * "Use my position": fills in the coordinates from the device, and says what happens in a
 * polite live region (finding, found, refused). The place text always suffices without it.
 */
import { useState } from 'preact/hooks';

interface LocationButtonProps {
  tr: (key: string) => string;
  onPosition: (lat: number, lon: number) => void;
}

type LocationState = 'idle' | 'locating' | 'found' | 'denied' | 'unavailable';

/** Six decimals is about ten centimetres: more precision would only be noise. */
const roundCoordinate = (value: number) => Math.round(value * 1e6) / 1e6;

export function LocationButton({ tr, onPosition }: LocationButtonProps) {
  const [state, setState] = useState<LocationState>('idle');
  const locate = () => {
    if (!('geolocation' in navigator)) {
      setState('unavailable');
      return;
    }
    setState('locating');
    navigator.geolocation.getCurrentPosition(
      (position) => {
        onPosition(roundCoordinate(position.coords.latitude), roundCoordinate(position.coords.longitude));
        setState('found');
      },
      (error) => setState(error.code === error.PERMISSION_DENIED ? 'denied' : 'unavailable'),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };
  return (
    <div class="location js-only">
      <button type="button" class="button button--secondary" onClick={locate} disabled={state === 'locating'}>
        {tr('geo.button')}
      </button>
      <p role="status" class={state === 'denied' || state === 'unavailable' ? 'field__error' : 'field__hint'}>
        {state === 'idle' ? '' : tr(`geo.${state}`)}
      </p>
    </div>
  );
}
