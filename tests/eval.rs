//! Integration tests: `bitext eval`.

use crate::util::*;

fn temp(name: &str, content: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("bitext-eval-{}-{name}", std::process::id()));
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn scores_a_perfect_and_a_partial_alignment() {
    let gold = temp("gold", "[0]:[0]\n[1]:[1,2]\n[]:[3]\n");
    let same = temp("same", "[0]:[0]:0.9\n[1]:[1,2]:0.8\n[]:[3]:0.7\n");
    let off = temp("off", "[0]:[0]\n[1]:[1]\n[]:[2]\n[]:[3]\n");
    let out = bitext(&[
        "eval",
        "--json",
        gold.to_str().unwrap(),
        same.to_str().unwrap(),
        gold.to_str().unwrap(),
        off.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["documents"][0]["scores"]["f1_strict"], 1.0);
    let second = &report["documents"][1]["scores"];
    assert_eq!(second["precision_strict"], 0.5);
    assert_eq!(second["recall_lax"], 1.0);
    // Summed counts: precision 3/3 + 2/4, recall 2/2 + 1/2.
    assert_eq!(report["total_counts"]["precision_strict_tp"], 5);
    assert_eq!(report["total_counts"]["precision_total"], 7);
    assert!(report["reliability"].as_array().unwrap().len() >= 2);
    for p in [gold, same, off] {
        std::fs::remove_file(p).ok();
    }
}

#[test]
fn malformed_gold_names_file_and_line() {
    let gold = temp("bad-gold", "[0]:[0]\n[1]:[x]\n");
    let test = temp("test", "[0]:[0]\n");
    let out = bitext(&["eval", gold.to_str().unwrap(), test.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad-gold:2:"), "{}", stderr(&out));
    std::fs::remove_file(gold).ok();
    std::fs::remove_file(test).ok();
}

#[test]
fn odd_number_of_files_is_a_usage_error() {
    let gold = temp("lonely", "[0]:[0]\n");
    let g = gold.to_str().unwrap();
    let out = bitext(&["eval", g, g, g]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_file(gold).ok();
}
