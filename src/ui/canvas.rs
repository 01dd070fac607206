//! The flow canvas: steps as nodes, each record step's outcomes as labelled outputs wired to the step they lead
//! to (or to "End"), laid out automatically and movable by hand. Drawing a wire changes the branch; the graph is
//! rebuilt from the flow whenever the flow changes, so the flow stays the one source of truth.

use std::collections::HashMap;

use egui::{Pos2, Ui, pos2};
use egui_snarl::ui::{PinInfo, SnarlStyle, SnarlViewer, SnarlWidget};
use egui_snarl::{InPin, NodeId, OutPin, Snarl};

use super::commands::{Command, StepEdit};
use crate::model::{Flow, Outcome, Step, Target};

/// Which branch an output pin is.
#[derive(Clone, Debug, PartialEq)]
enum Branch {
    Outcome(Outcome),
    Key(String),
    Next,
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Step { index: usize, name: String, record: bool, outputs: Vec<(String, Branch)> },
    End,
}

#[derive(Default)]
pub struct FlowCanvas {
    snarl: Snarl<Node>,
    /// The shape of the flow the graph was built from: its nodes and where each output leads.
    built_from: Option<Vec<(Node, Vec<Option<usize>>)>>,
    /// The flow last drawn: its shape is worked out again only when it changes.
    last_flow: Option<Flow>,
    /// Where each step's node is, by step name (kept when the graph is rebuilt).
    positions: HashMap<String, Pos2>,
}

impl FlowCanvas {
    pub fn ui(&mut self, ui: &mut Ui, flow: &Flow, selected: Option<usize>, commands: &mut Vec<Command>) {
        // Rebuilt only when nodes or wires change (not for a timeout or the profile): a new graph loses the view.
        if self.last_flow.as_ref() != Some(flow) {
            self.last_flow = Some(flow.clone());
            let shape = shape_of(flow);
            if self.built_from.as_ref() != Some(&shape) {
                self.rebuild(flow);
                self.built_from = Some(shape);
            }
        }
        ui.label(
            egui::RichText::new("Drag a node to move it, an output to rewire it; double-click the background to fit.")
                .weak()
                .small(),
        );
        let mut viewer = Viewer { commands, selected };
        // Inputs above outputs, each row the node's full width: side by side (snarl's default), the outcome labels
        // shared the width with the input column and were cut short.
        // Never zoomed in past 1:1 (snarl fits the first view to the nodes' corners, which for a small flow zooms in).
        let style = SnarlStyle {
            node_layout: Some(egui_snarl::ui::NodeLayout::sandwich()),
            max_scale: Some(1.0),
            min_scale: Some(0.2),
            ..SnarlStyle::new()
        };
        SnarlWidget::new().id_salt("flow-canvas").style(style).show(&mut self.snarl, &mut viewer, ui);
        for (_, pos, node) in self.snarl.nodes_pos_ids() {
            let name = match node {
                Node::Step { name, .. } => name.as_str(),
                Node::End => END,
            };
            // Only moved nodes are written (no allocation per node per frame).
            if self.positions.get(name) != Some(&pos) {
                self.positions.insert(name.to_owned(), pos);
            }
        }
    }

    fn rebuild(&mut self, flow: &Flow) {
        let layout = auto_layout(flow);
        let mut snarl = Snarl::new();
        let mut ids: Vec<NodeId> = Vec::with_capacity(flow.steps.len());
        for (i, step) in flow.steps.iter().enumerate() {
            let pos = self.positions.get(step.name()).copied().unwrap_or(layout[i]);
            ids.push(snarl.insert_node(pos, node_of(i, step)));
        }
        let end_pos = self.positions.get(END).copied().unwrap_or_else(|| {
            // Below the last column rather than in a column of its own: the graph stays narrow enough to be seen
            // whole at 1:1 in the window's first view.
            let right = layout.iter().map(|p| p.x).fold(40.0, f32::max);
            let below = layout.iter().filter(|p| p.x == right).map(|p| p.y + ROW).fold(40.0, f32::max);
            pos2(right, below)
        });
        let end = snarl.insert_node(end_pos, Node::End);
        for (i, step) in flow.steps.iter().enumerate() {
            let Node::Step { outputs, .. } = node_of(i, step) else { continue };
            for (k, (_, branch)) in outputs.iter().enumerate() {
                let target = target_of(step, branch);
                let to = match flow.resolve(i, &target) {
                    Ok(Some(j)) => ids[j],
                    Ok(None) => end,
                    Err(_) => continue,
                };
                snarl.connect(
                    egui_snarl::OutPinId { node: ids[i], output: k },
                    egui_snarl::InPinId { node: to, input: 0 },
                );
            }
        }
        self.snarl = snarl;
    }
}

/// Each step's node and where each of its outputs leads (`None`: the end).
fn shape_of(flow: &Flow) -> Vec<(Node, Vec<Option<usize>>)> {
    flow.steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let node = node_of(i, step);
            let targets = match &node {
                Node::Step { outputs, .. } => {
                    outputs.iter().map(|(_, b)| flow.resolve(i, &target_of(step, b)).ok().flatten()).collect()
                }
                Node::End => Vec::new(),
            };
            (node, targets)
        })
        .collect()
}

const END: &str = "\u{0}end";

fn node_of(index: usize, step: &Step) -> Node {
    let outputs = match step {
        Step::Record(r) => {
            let mut v: Vec<(String, Branch)> =
                Outcome::ALL.iter().map(|o| (o.label().to_owned(), Branch::Outcome(*o))).collect();
            for key in r.on.stop_tone_keys.keys() {
                v.push((format!("stop tone {key}"), Branch::Key(key.clone())));
            }
            v
        }
        Step::PlayPrompt(_) => vec![("afterwards".to_owned(), Branch::Next)],
    };
    Node::Step { index, name: step.name().to_owned(), record: matches!(step, Step::Record(_)), outputs }
}

fn target_of(step: &Step, branch: &Branch) -> Target {
    match (step, branch) {
        (Step::Record(r), Branch::Outcome(o)) => r.on.target(*o).clone(),
        (Step::Record(r), Branch::Key(k)) => r.on.stop_tone_keys.get(k).cloned().unwrap_or_default(),
        (Step::PlayPrompt(p), _) => p.next.clone(),
        _ => Target::End,
    }
}

/// Columns by distance from the first step (breadth first), rows in step order.
fn auto_layout(flow: &Flow) -> Vec<Pos2> {
    let n = flow.steps.len();
    let mut depth = vec![usize::MAX; n];
    let mut queue = std::collections::VecDeque::new();
    if n > 0 {
        depth[0] = 0;
        queue.push_back(0);
    }
    while let Some(i) = queue.pop_front() {
        for (_, target) in flow.steps[i].branches() {
            if let Ok(Some(j)) = flow.resolve(i, target)
                && depth[j] == usize::MAX
            {
                depth[j] = depth[i] + 1;
                queue.push_back(j);
            }
        }
    }
    let deepest = depth.iter().filter(|d| **d != usize::MAX).max().copied().unwrap_or(0);
    let mut rows: HashMap<usize, usize> = HashMap::new();
    depth
        .iter()
        .map(|&d| {
            let column = if d == usize::MAX { deepest + 1 } else { d };
            let row = rows.entry(column).or_default();
            let pos = pos2(40.0 + column as f32 * COLUMN, 40.0 + *row as f32 * ROW);
            *row += 1;
            pos
        })
        .collect()
}

struct Viewer<'a> {
    commands: &'a mut Vec<Command>,
    selected: Option<usize>,
}

impl Viewer<'_> {
    fn branch_command(&mut self, snarl: &Snarl<Node>, from: &OutPin, target: Target) {
        let Some(Node::Step { index, outputs, .. }) = snarl.get_node(from.id.node) else { return };
        let Some((_, branch)) = outputs.get(from.id.output) else { return };
        let edit = match branch {
            Branch::Outcome(o) => StepEdit::Branch(*o, target),
            Branch::Key(k) => StepEdit::KeyBranch(k.clone(), target),
            Branch::Next => StepEdit::Next(target),
        };
        self.commands.push(Command::Edit(*index, edit));
    }
}

/// Distance between the automatic layout's columns: a node (~185 px wide at 1:1) and room for its wires.
const COLUMN: f32 = 230.0;

/// Distance between the rows of a column: a record node (~150 px high) and a gap.
const ROW: f32 = 200.0;

/// Space kept free at a node's right edge for the output pins.
const PIN_ROOM: f32 = 20.0;

impl SnarlViewer<Node> for Viewer<'_> {
    fn title(&mut self, node: &Node) -> String {
        match node {
            Node::Step { name, .. } => name.clone(),
            Node::End => "End".to_owned(),
        }
    }

    fn show_header(
        &mut self,
        node: NodeId,
        _inputs: &[InPin],
        _outputs: &[OutPin],
        ui: &mut Ui,
        snarl: &mut Snarl<Node>,
    ) {
        // Wide enough for the longest branch label ("end of speech") and its pin; no wider, so a small flow fits
        // the first view at 1:1.
        ui.set_min_width(110.0);
        match &snarl[node] {
            Node::Step { index, name, record, .. } => {
                let icon = if *record { "🎤" } else { "🔊" };
                let on = self.selected == Some(*index);
                let response = ui.selectable_label(on, format!("{icon} {name}")).on_hover_text("Select to edit");
                response.widget_info(|| {
                    egui::WidgetInfo::selected(egui::WidgetType::Button, true, on, format!("Node {name}"))
                });
                if response.clicked() {
                    self.commands.push(Command::Select(Some(*index)));
                }
            }
            Node::End => {
                ui.label("⏹ End").widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Label, true, "Node End"));
            }
        }
    }

    fn inputs(&mut self, _node: &Node) -> usize {
        1
    }

    fn outputs(&mut self, node: &Node) -> usize {
        match node {
            Node::Step { outputs, .. } => outputs.len(),
            Node::End => 0,
        }
    }

    #[allow(refining_impl_trait)]
    fn show_input(&mut self, _pin: &InPin, ui: &mut Ui, _snarl: &mut Snarl<Node>) -> PinInfo {
        ui.label("");
        PinInfo::circle()
    }

    #[allow(refining_impl_trait)]
    fn show_output(&mut self, pin: &OutPin, ui: &mut Ui, snarl: &mut Snarl<Node>) -> PinInfo {
        if let Node::Step { outputs, .. } = &snarl[pin.id.node]
            && let Some((label, _)) = outputs.get(pin.id.output)
        {
            // egui-snarl 0.12 widens each output row's max rect by ~11 px more than the last, so labels laid out
            // in it drift right under the pins and past the node's edge. Paint each label right-aligned to the
            // node's own edge (the clip rect), leaving room for the pin.
            let colour = ui.visuals().text_color();
            let galley = ui.painter().layout_no_wrap(label.clone(), egui::TextStyle::Body.resolve(ui.style()), colour);
            let (rect, response) = ui.allocate_exact_size(galley.size(), egui::Sense::hover());
            let right = ui.clip_rect().right() - PIN_ROOM;
            ui.painter().galley(egui::pos2(right - galley.size().x, rect.top()), galley, colour);
            response.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Label, true, label));
        }
        PinInfo::circle()
    }

    fn connect(&mut self, from: &OutPin, to: &InPin, snarl: &mut Snarl<Node>) {
        let target = match &snarl[to.id.node] {
            Node::Step { name, .. } => Target::Step(name.clone()),
            Node::End => Target::End,
        };
        self.branch_command(snarl, from, target);
    }

    fn disconnect(&mut self, from: &OutPin, _to: &InPin, snarl: &mut Snarl<Node>) {
        self.branch_command(snarl, from, Target::End);
    }
}
