import { useId } from 'react';

/** The debiased-EMA weight (0 = raw, up to 0.99) for a page's charts: a labelled range input and its value. */
export function SmoothingSlider({ value, onChange }: { value: number; onChange: (value: number) => void }) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>Smoothing</label>
      <input
        id={id}
        type="range"
        min={0}
        max={0.99}
        step={0.01}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
      />
      <output htmlFor={id} className="num">
        {value.toFixed(2)}
      </output>
    </>
  );
}
