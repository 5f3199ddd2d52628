// The open study's name and folder in the header; pressed, the other ways into a study: the recent ones, a folder
// by its path, or a new one (the start page, whose example cards need the room).
import { Popover } from '../app/Popover';
import { useStudy, useUi } from '../app/stores';
import { OpenFolderForm, RecentStudies } from './OpenForms';

export function StudySwitcher() {
  const study = useStudy((s) => s.study);
  const { close, show } = useUi((s) => s);
  return (
    <Popover
      overlay="switcher"
      buttonClass="switcher-button"
      title={study?.dir}
      label="Switch study"
      button={
        <>
          {study ? (
            <>
              <strong>{study.name}</strong>
              {/* Cut at its start when long (right to left), its slashes kept in place by the mark. */}
              <small className="study-folder">{`\u200e${study.dir}`}</small>
              <span className="visually-hidden">, switch study</span>
            </>
          ) : (
            <strong>Open a study…</strong>
          )}
          <span aria-hidden="true">▾</span>
        </>
      }
    >
      <h2>Recent studies</h2>
      <RecentStudies onOpen={close} />
      <h2>Open a study folder</h2>
      <OpenFolderForm />
      <p>
        <button type="button" className="plain" onClick={() => show('Start')}>
          New study…
        </button>
      </p>
    </Popover>
  );
}
