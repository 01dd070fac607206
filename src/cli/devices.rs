//! `ivr-designer devices`

use super::{EXIT_INVALID, EXIT_OK};
use crate::audio::list_devices;

pub fn run() -> u8 {
    match list_devices() {
        Ok(list) => {
            for (title, devices) in
                [("Input devices (callers)", &list.inputs), ("Output devices (prompts and beep)", &list.outputs)]
            {
                println!("{title}:");
                if devices.is_empty() {
                    println!("  (none)");
                }
                for d in devices {
                    let mark = if d.is_default { "*" } else { " " };
                    println!("  {mark} {}    [{}]", d.name, d.id);
                }
            }
            println!("(* the system default; pick others with `run --live --input NAME --output NAME`)");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_INVALID
        }
    }
}
