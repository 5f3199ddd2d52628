// The study being edited: study.yaml's text as on disk (base) and as edited (draft), the rows the app edits,
// and what the engine says of the draft (study.check: the cases it makes, how many are new, the time they would
// take; or the first error). Edits are made by the engine (study.edit), which changes only what was edited.
import { createStore } from 'zustand/vanilla';
import type { EngineClient, Params, Result, StudyRows } from '../../shared/api';
import type { Scalar } from '../../shared/space';

type Edit = Params<'study.edit'>['edit'];
type ParameterRow = Extract<Edit, { op: 'set-parameter' }>['row'];
type ParameterPlace = NonNullable<Extract<Edit, { op: 'set-parameter' }>['previous']>;

export interface EditState {
  base: string | null;
  draft: string | null;
  /** The parameters and cases of the draft (null while its YAML does not parse). */
  rows: StudyRows | null;
  check: Result<'study.check'> | null;
  /** The text `check` is about: a draft typed since is not checked yet (and cannot be saved yet). */
  checked: string | null;
  /** Why the last edit could not be made (the text stays as it was). */
  editError: string | null;
  saving: boolean;
  saveError: string | null;
  /** What "Try one case" gave, and whether it is running. */
  tried: Result<'study.try'> | null;
  /** The draft the case was tried on: an edit since makes what it said stale, and it goes. */
  triedOn: string | null;
  trying: boolean;
  tryCase(): Promise<void>;
  /** The study folder's own files, to pick the model from (null until asked for). */
  files: string[] | null;
  loadFiles(): Promise<void>;
  /** Make the outputs section the one the tried case fits. */
  useTriedOutputs(): Promise<void>;
  /** Read study.yaml from disk. Without `force`, an edit typed meanwhile wins over what was read. */
  load(force?: boolean): Promise<void>;
  /** A study was opened (or saved) in the engine: another study starts afresh, the same one keeps its edits. */
  opened(dir: string): void;
  setDraft(text: string): void;
  /** Set a parameter; `previous` is where it was, when it is renamed or moved to another role. */
  setRow(row: ParameterRow, previous?: ParameterPlace): Promise<void>;
  removeRow(name: string, role?: ParameterRow['role']): Promise<void>;
  setModel(model: StudyRows['model']): Promise<void>;
  /** Set the coords of an output dim (null: its positions 0..n-1). */
  setCoord(name: string, values: StudyRows['coords'][number]['values']): Promise<void>;
  setCases(cases: Record<string, Scalar>[]): Promise<void>;
  setOutputs(outputs: StudyRows['outputs']): Promise<void>;
  save(): Promise<void>;
  /**
   * Before a run: save unsaved edits, so the run runs what the page shows. False when they cannot be saved (the
   * draft has an error, or the file changed on disk): the reason is shown with the draft.
   */
  saveIfUnsaved(): Promise<boolean>;
  /** Check the draft again: its counts of new, done and failed cases change with every run. */
  recheck(): Promise<void>;
  revert(): void;
}

const CHECK_AFTER_MS = 200;

/** Unsaved edits that cannot be saved yet (not checked, or with an error): what acts on the study must wait. */
export const unsavable = (s: Pick<EditState, 'draft' | 'base' | 'check' | 'checked'>): boolean =>
  s.draft !== null && s.draft !== s.base && (s.checked !== s.draft || !s.check?.ok);

export function createEditStore(engine: EngineClient) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  let studyDir: string | null = null;
  return createStore<EditState>()((set, get) => {
    const checkNow = async () => {
      clearTimeout(timer);
      const text = get().draft;
      if (text === null) return;
      const mine = ++asked;
      try {
        const result = await engine.request('study.check', { text });
        if (mine !== asked) return;
        set({
          check: result,
          checked: text,
          // The rows of a draft edited since are newer (study.edit gave them): keep those.
          ...(get().draft === text ? { rows: result.rows ?? null } : {}),
        });
      } catch (error) {
        const message = (error as Error).message;
        if (mine === asked)
          set({
            check: { ok: false, error: message, line: null, field: null, detail: message, rows: null },
            checked: text,
          });
      }
    };
    /** Check the draft once typing pauses; what was tried of the draft before no longer says anything of it. */
    const check = () => {
      clearTimeout(timer);
      if (get().tried !== null && get().triedOn !== get().draft) set({ tried: null, triedOn: null });
      timer = setTimeout(() => void checkNow(), CHECK_AFTER_MS);
    };
    // Edits are made one after another, each on the text the previous one left.
    let queue = Promise.resolve();
    const edit = (change: Edit) =>
      (queue = queue.then(async () => {
        const { draft } = get();
        if (draft === null) return;
        try {
          const { text, ...rows } = await engine.request('study.edit', { text: draft, edit: change });
          set({ draft: text, rows, editError: null });
          check();
        } catch (error) {
          set({ editError: (error as Error).message });
        }
      }));
    return {
      base: null,
      draft: null,
      rows: null,
      check: null,
      checked: null,
      editError: null,
      saving: false,
      saveError: null,
      tried: null,
      triedOn: null,
      trying: false,
      files: null,
      async loadFiles() {
        try {
          set({ files: (await engine.request('study.files', {})).files });
        } catch {
          set({ files: [] }); // no study open: nothing to pick from
        }
      },
      async tryCase() {
        const { draft } = get();
        set({ trying: true, tried: null, triedOn: draft });
        try {
          const tried = await engine.request('study.try', draft === null ? {} : { text: draft });
          // Edited meanwhile: what came back is of a draft that is gone.
          set(get().draft === draft ? { tried, trying: false } : { trying: false, triedOn: null });
        } catch (error) {
          const message = (error as Error).message;
          if (get().draft !== draft) return set({ trying: false, triedOn: null });
          set({
            trying: false,
            tried: { params: {}, seconds: null, outputs: [], suggested: [], error: message, caseDir: null },
          });
        }
      },
      async useTriedOutputs() {
        const suggested = get().tried?.suggested;
        if (suggested && suggested.length > 0) await edit({ op: 'set-outputs', outputs: suggested });
      },
      async load(force = false) {
        const before = get().draft;
        const { text } = await engine.request('study.source', {});
        if (!force && get().draft !== before) return;
        set({ base: text, draft: text, editError: null, saveError: null });
        check();
      },
      opened(dir) {
        if (dir !== studyDir) {
          studyDir = dir;
          set({
            base: null,
            draft: null,
            rows: null,
            check: null,
            checked: null,
            files: null,
            tried: null,
            triedOn: null,
            editError: null,
            saveError: null,
          });
          void get().load(true);
        } else if (get().draft === get().base) {
          void get().load();
        }
      },
      setDraft(text) {
        set({ draft: text });
        check();
      },
      setRow: (row, previous) => edit({ op: 'set-parameter', row, ...(previous === undefined ? {} : { previous }) }),
      removeRow: (name, role) => edit({ op: 'remove-parameter', name, ...(role === undefined ? {} : { role }) }),
      setModel: (model) => edit({ op: 'set-model', model }),
      setCoord: (name, values) => edit({ op: 'set-coord', name, values }),
      setCases: (cases) => edit({ op: 'set-cases', cases }),
      setOutputs: (outputs) => edit({ op: 'set-outputs', outputs }),
      async save() {
        // An edit made just before (a field left by clicking Save) is part of what is saved.
        await queue;
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
      async saveIfUnsaved() {
        await queue;
        const { draft, base } = get();
        if (draft === null || draft === base) return true;
        if (get().checked !== draft) await checkNow();
        if (get().draft !== draft || !get().check?.ok) return false;
        await get().save();
        return get().base === draft;
      },
      recheck: () => checkNow(),
      revert() {
        set({ draft: get().base, editError: null, saveError: null });
        check();
      },
    };
  });
}
