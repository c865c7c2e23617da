// The scenario editor: CodeMirror 6 with YAML, each validation error drawn in a box under its line.
import { yaml } from "@codemirror/lang-yaml";
import { EditorState, type Extension, StateEffect, StateField } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, WidgetType } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { useEffect, useRef } from "react";
import type { Problem } from "../api.js";

const setProblems = StateEffect.define<Problem[]>();

/** The message of an error, as a block under the line it belongs to (a CodeMirror widget). */
class ProblemWidget extends WidgetType {
  constructor(readonly problem: Problem) {
    super();
  }
  override eq(other: ProblemWidget): boolean {
    return other.problem.error === this.problem.error && other.problem.col === this.problem.col;
  }
  toDOM(): HTMLElement {
    const el = document.createElement("div");
    el.className = "cm-problem";
    el.setAttribute("data-testid", "editor-error");
    el.setAttribute("data-line", String(this.problem.line ?? ""));
    el.textContent = `${" ".repeat(Math.max(0, (this.problem.col ?? 1) - 1))}^ ${this.problem.error}`;
    return el;
  }
}

function decorate(state: EditorState, problems: Problem[]): DecorationSet {
  const marks = [];
  const doc = state.doc;
  for (const p of problems) {
    const n = Math.min(Math.max(p.line ?? 1, 1), doc.lines);
    const line = doc.line(n);
    marks.push(Decoration.line({ class: "cm-problem-line" }).range(line.from));
    marks.push(Decoration.widget({ widget: new ProblemWidget(p), block: true, side: 1 }).range(line.to));
  }
  return Decoration.set(marks, true);
}

const problemField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(set, tr) {
    for (const e of tr.effects) if (e.is(setProblems)) return decorate(tr.state, e.value);
    return set.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

export function Editor(props: { text: string; problems: Problem[]; onChange: (text: string) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;

  // biome-ignore lint/correctness/useExhaustiveDependencies: created once; later text arrives through the effect below
  useEffect(() => {
    if (!box.current) return;
    const extensions: Extension[] = [
      basicSetup,
      yaml(),
      problemField,
      EditorView.updateListener.of((u) => {
        if (u.docChanged) onChange.current(u.state.doc.toString());
      }),
    ];
    view.current = new EditorView({
      parent: box.current,
      state: EditorState.create({ doc: props.text, extensions }),
    });
    return () => view.current?.destroy();
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== props.text)
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: props.text } });
  }, [props.text]);

  useEffect(() => {
    view.current?.dispatch({ effects: setProblems.of(props.problems) });
  }, [props.problems]);

  return <div ref={box} className="editor" data-testid="editor" />;
}
