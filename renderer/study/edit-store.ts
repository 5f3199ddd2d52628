// The study being edited: study.yaml's text as on disk (base) and as edited (draft), and what the engine says of
// the draft (study.check: the cases it makes, how many are new, the time they would take; or the first error).
// Edits go through shared/study-edit.ts, which changes only what was edited in the text.
import { createStore } from 'zustand/vanilla';
import type { EngineClient, Result } from '../../shared/api';
import type { Scalar } from '../../shared/space';
import type { ParameterRow } from '../../shared/study-edit';
import { removeParameter, setCases, setParameter } from '../../shared/study-edit';

export interface EditState {
  base: string | null;
  draft: string | null;
  check: Result<'study.check'> | null;
  /** The text `check` is about: a draft typed since is not checked yet (and cannot be saved yet). */
  checked: string | null;
  /** Why the last edit could not be made (the text stays as it was). */
  editError: string | null;
  saving: boolean;
  saveError: string | null;
  load(): Promise<void>;
  setDraft(text: string): void;
  setRow(row: ParameterRow, previousName?: string): void;
  removeRow(name: string): void;
  setCases(cases: Record<string, Scalar>[]): void;
  save(): Promise<void>;
  revert(): void;
}

const CHECK_AFTER_MS = 200;

export function createEditStore(engine: EngineClient) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  return createStore<EditState>()((set, get) => {
    const check = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const text = get().draft;
        if (text === null) return;
        const mine = ++asked;
        void engine
          .request('study.check', { text })
          .then((result) => mine === asked && set({ check: result, checked: text }))
          .catch(
            (error: Error) =>
              mine === asked && set({ check: { ok: false, error: error.message, line: null }, checked: text }),
          );
      }, CHECK_AFTER_MS);
    };
    const edit = (change: (text: string) => string) => {
      const { draft } = get();
      if (draft === null) return;
      try {
        get().setDraft(change(draft));
        set({ editError: null });
      } catch (error) {
        set({ editError: (error as Error).message });
      }
    };
    return {
      base: null,
      draft: null,
      check: null,
      checked: null,
      editError: null,
      saving: false,
      saveError: null,
      async load() {
        const { text } = await engine.request('study.source', {});
        set({ base: text, draft: text, editError: null, saveError: null });
        check();
      },
      setDraft(text) {
        set({ draft: text });
        check();
      },
      setRow: (row, previousName) => edit((text) => setParameter(text, row, previousName)),
      removeRow: (name) => edit((text) => removeParameter(text, name)),
      setCases: (cases) => edit((text) => setCases(text, cases)),
      async save() {
        const { draft, base } = get();
        if (draft === null || base === null) return;
        set({ saving: true, saveError: null });
        try {
          await engine.request('study.save', { text: draft, base });
          set({ base: draft, saving: false });
        } catch (error) {
          set({ saving: false, saveError: (error as Error).message });
        }
      },
      revert() {
        set({ draft: get().base, editError: null, saveError: null });
        check();
      },
    };
  });
}
