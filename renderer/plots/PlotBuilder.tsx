// The facet plot builder's controls: the variable and the kind, a dim for each encoding the kind has (by menu or by
// dragging a dim onto it), how each other dim is shown (free, fixed at a value, reduced), the chips of what the plot
// shows (each removable), and its title, subtitle, labels and scales. Every edit goes through shared/plot-edits.ts, so
// a kind without hue moves the hue's dim to a facet and says so in one line, rather than leaving an error behind.
import type { DragEvent } from 'react';
import type { DatasetInfo } from '../../shared/api';
import { labelOf } from '../../shared/plot-adapt';
import { PLOT_KINDS, REDUCERS } from '../../shared/plot-spec';
import type { Encoding, PlotData } from '../../shared/plot-spec';
import { usePlots } from '../app/stores';
import { chipsOf, coordinatesOn, dimEdit, dimsOf, encodingEdit, encodingsFor, kindEdit } from '../../shared/plot-edits';
import type { Draft, Edit } from '../../shared/plot-edits';

type Variable = DatasetInfo['variables'][number];

/** The drag data type of a dim dragged onto an encoding. */
const DIM_TYPE = 'text/x-furrow-dim';

function useEdit(): (edit: Edit) => void {
  const edit = usePlots((s) => s.edit);
  return (e) => void edit(e.change, e.pin);
}

/** How one dim not on an encoding is treated: left to auto-encoding, fixed at a value, or reduced. */
function DimChoice({ dim, size, draft, info }: { dim: string; size: number; draft: Draft; info: DatasetInfo }) {
  const apply = useEdit();
  const isel = (draft['isel'] ?? {}) as Record<string, number>;
  const sel = (draft['sel'] ?? {}) as Record<string, unknown>;
  const reduce = (draft['reduce'] ?? {}) as Record<string, string>;
  const values = info.dims.find((d) => d.name === dim)?.values ?? null;
  const selIndex = dim in sel && values ? values.findIndex((v) => v === sel[dim]) : -1;
  const current =
    dim in isel
      ? `isel:${isel[dim]}`
      : selIndex >= 0
        ? `isel:${selIndex}`
        : dim in reduce
          ? `reduce:${reduce[dim]}`
          : 'free';
  const shown = Math.min(size, 1000);
  return (
    <label>
      {dim}
      <select
        aria-label={`How ${dim} is shown`}
        value={current}
        onChange={(e) => apply(dimEdit(draft, dim, e.target.value))}
      >
        <option value="free">on a free encoding</option>
        <optgroup label="reduced">
          {REDUCERS.map((r) => (
            <option key={r} value={`reduce:${r}`}>
              {r} over {dim}
            </option>
          ))}
        </optgroup>
        <optgroup label={`fixed at one value${size > shown ? ` (the first ${shown})` : ''}`}>
          {Array.from({ length: shown }, (_, i) => (
            <option key={i} value={`isel:${i}`}>
              {dim} = {values ? String(values[i]) : i}
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}

/** What the plot shows, a chip each: its mappings (auto-encoding's too) and its fixed and reduced dims. */
function Chips({ draft, data, info }: { draft: Draft; data: PlotData | null; info: DatasetInfo }) {
  const apply = useEdit();
  const dims = dimsOf(info, draft.variable ?? '');
  // The plot drawn is the draft's only while they name the same variable.
  const drawn = data && data.spec.variable === draft.variable ? (data.spec as Record<string, unknown>) : null;
  const chips = chipsOf(draft, drawn, dims);
  if (chips.length === 0) return null;
  return (
    <ul className="shown-chips" aria-label="What the plot shows">
      {chips.map((chip) => (
        <li key={chip.key} className={`shown-chip${chip.given ? '' : ' auto'}`}>
          <span>
            {chip.text}
            {!chip.given && <small> auto</small>}
          </span>
          <button
            type="button"
            className="chip-remove"
            aria-label={chip.removeLabel}
            title={chip.removeLabel}
            onClick={() => apply(chip.remove)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

export function Builder({
  info,
  variable,
  draft,
  data,
}: {
  info: DatasetInfo;
  variable: Variable;
  draft: Draft;
  data: PlotData | null;
}) {
  const { edit, chooseVariable, note } = usePlots((s) => s);
  const apply = useEdit();
  const kind = (draft['kind'] as string | undefined) ?? 'auto';
  const encodings = encodingsFor(kind);
  const keys: (Encoding | 'over')[] = [...encodings, ...(kind === 'errorbands' ? (['over'] as const) : [])];
  const mapped = new Set(encodings.map((e) => draft[e]).filter((d): d is string => typeof d === 'string'));
  // A point dataset's coordinates (its parameters on `point`) may go on x and y: the dim they are on is then shown.
  const coordinates = coordinatesOn(info, variable.name);
  for (const c of coordinates) if (mapped.has(c.name)) mapped.add(c.dim);
  /** Dims are dragged as text/x-furrow-dim onto an encoding; the selects do the same from the keyboard. */
  const dropTarget = (e: Encoding | 'over') => ({
    onDragOver: (ev: DragEvent) => {
      if (ev.dataTransfer.types.includes(DIM_TYPE)) ev.preventDefault();
    },
    onDrop: (ev: DragEvent) => {
      const dim = ev.dataTransfer.getData(DIM_TYPE);
      if (!dim || !variable.dims.includes(dim)) return;
      ev.preventDefault();
      apply(encodingEdit(draft, e, dim));
    },
  });
  const text = (key: string, label: string, placeholder: string) => (
    <label>
      {label}
      <input
        value={(draft[key] as string | undefined) ?? ''}
        placeholder={placeholder}
        onChange={(e) => void edit({ [key]: e.target.value || undefined })}
      />
    </label>
  );
  const logScale = (key: 'xscale' | 'yscale', label: string) => (
    <label className="inline">
      <input
        type="checkbox"
        checked={draft[key] === 'log'}
        onChange={(e) => void edit({ [key]: e.target.checked ? 'log' : undefined })}
      />
      {label}
    </label>
  );
  const subtitleOff = draft['subtitle'] === false;
  return (
    <>
      <div className="plot-controls" role="group" aria-label="What to plot">
        <label>
          Variable
          <select aria-label="Variable" value={variable.name} onChange={(e) => void chooseVariable(e.target.value)}>
            {info.variables.map((v) => (
              <option key={v.name} value={v.name}>
                {v.name} ({v.dims.join(', ') || 'scalar'})
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select aria-label="Kind" value={kind} onChange={(e) => apply(kindEdit(e.target.value))}>
            {PLOT_KINDS.map((k) => (
              <option key={k} value={k}>
                {k === 'auto' ? `auto${data && kind === 'auto' ? ` (${data.kind})` : ''}` : k}
              </option>
            ))}
          </select>
        </label>
        {keys.map((e) => {
          const auto = data?.spec[e];
          const label = labelOf(e);
          return (
            <label key={e} className="drop-target" {...dropTarget(e)}>
              {label}
              <select
                aria-label={label}
                value={(draft[e] as string | undefined) ?? ''}
                onChange={(ev) => apply(encodingEdit(draft, e, ev.target.value || undefined))}
              >
                <option value="">{auto && draft[e] === undefined ? `auto (${auto})` : 'auto'}</option>
                {variable.dims.map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
                {(e === 'x' || e === 'y') &&
                  coordinates.map((c) => (
                    <option key={`coordinate ${c.name}`} value={c.name}>
                      {c.name} (on {c.dim})
                    </option>
                  ))}
              </select>
            </label>
          );
        })}
      </div>
      <p className="plot-note" role="status">
        {note}
      </p>
      <Chips draft={draft} data={data} info={info} />
      <div className="dim-chips" role="list" aria-label="Dims (drag one onto an encoding)">
        {variable.dims.map((d) => (
          <span
            key={d}
            role="listitem"
            className={`dim-chip${mapped.has(d) ? ' mapped' : ''}`}
            draggable
            onDragStart={(ev) => {
              ev.dataTransfer.setData(DIM_TYPE, d);
              ev.dataTransfer.effectAllowed = 'move';
            }}
          >
            {d} <small>{variable.shape[variable.dims.indexOf(d)]}</small>
          </span>
        ))}
      </div>
      {variable.dims.some((d) => !mapped.has(d)) && (
        <div className="plot-controls" role="group" aria-label="The other dims">
          {variable.dims
            .filter((d) => !mapped.has(d))
            .map((d) => (
              <DimChoice
                key={d}
                dim={d}
                size={variable.shape[variable.dims.indexOf(d)] ?? 1}
                draft={draft}
                info={info}
              />
            ))}
        </div>
      )}
      <details className="plot-details">
        <summary>Title, subtitle, labels, scales</summary>
        <div className="plot-controls" role="group" aria-label="Title, subtitle, labels, scales">
          {text('title', 'Title', variable.name)}
          <label>
            Subtitle
            <input
              value={typeof draft['subtitle'] === 'string' ? draft['subtitle'] : ''}
              disabled={subtitleOff}
              placeholder={subtitleOff ? 'no subtitle' : data?.autoSubtitle || 'what is fixed or reduced'}
              onChange={(e) => void edit({ subtitle: e.target.value || undefined })}
            />
          </label>
          <label className="inline">
            <input
              type="checkbox"
              checked={!subtitleOff}
              onChange={(e) => void edit({ subtitle: e.target.checked ? undefined : false })}
            />
            show the subtitle
          </label>
          {text('xlabel', 'x label', 'from the data')}
          {text('ylabel', 'y label', 'from the data')}
          {logScale('xscale', 'log x')}
          {logScale('yscale', 'log y')}
          <label>
            Legend
            <select
              aria-label="Legend"
              value={(draft['legend'] as string | undefined) ?? 'right'}
              onChange={(e) => void edit({ legend: e.target.value === 'right' ? undefined : e.target.value })}
            >
              {['right', 'top', 'bottom', 'none'].map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </label>
        </div>
      </details>
    </>
  );
}
