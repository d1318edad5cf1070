//! Data is only ever data: markup in it prints literally, and no error repeats it.

use confidant_documents::{Error, Template};
use serde_json::{json, Value};

use crate::{assert_contains, engine, fixture, pdf_text, render};

const CANARY: &str = "Kanarie-Hemlig-8812";

#[test]
fn typst_markup_in_a_note_prints_literally() {
    let mut data = fixture("journal");
    let hostile = r#"#panic("x") $x$ *bold* <label> @ref \\server\share \ ] [ _u_ `k` // c /* d */ #{ } "#;
    data["entries"][0]["title"] = hostile.into();
    data["entries"][0]["body"] = format!("{hostile}\n\n#set text(size: 40pt)\n{CANARY}").into();
    data["client"]["name"] = r##"Maja "#let" Berg ]"##.into();
    let text = pdf_text(&render(Template::Journal, &data));
    assert_contains(
        &text,
        &[
            r#"#panic("x") $x$ *bold* <label> @ref \\server\share \ ] [ _u_ `k` // c /* d */ #{ }"#,
            "#set text(size: 40pt)",
            CANARY,
            r##"Maja "#let" Berg ]"##,
        ],
    );
}

/// Every message and debug form of `err` is free of the canary.
#[track_caller]
fn assert_no_canary(err: &Error) {
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(CANARY) && !shown.contains("8812"), "error quotes data: {shown}");
    }
}

fn render_err(template: Template, data: &[u8]) -> Error {
    engine().render(template, data).expect_err("must fail")
}

#[test]
fn malformed_json_is_a_data_error_that_does_not_quote_it() {
    let err = render_err(Template::Journal, format!("{{\"lang\": \"sv\", \"x\": \"{CANARY}\"").as_bytes());
    assert!(matches!(err, Error::Data { template: Template::Journal, .. }), "{err}");
    assert_no_canary(&err);
    for data in [
        json!(CANARY),
        json!({"lang": CANARY, "generated_on": "2026-12-02"}),
        json!({"lang": "sv", "generated_on": CANARY}),
    ] {
        let err = render_err(Template::ErasureReply, &serde_json::to_vec(&data).expect("json"));
        assert!(matches!(err, Error::Data { .. }), "{err}");
        assert_no_canary(&err);
    }
}

#[test]
fn a_data_shape_the_template_cannot_use_fails_without_quoting_data() {
    let cases: Vec<(Template, Value)> = vec![
        (Template::Journal, json!({"lang": "sv", "generated_on": "2026-12-02", "practice": CANARY})),
        (Template::Journal, {
            let mut d = fixture("journal");
            d["entries"][0]["occurred_at"] = json!({"canary": CANARY});
            d["entries"][1]["tags"] = json!(CANARY);
            d
        }),
        (Template::Journal, {
            let mut d = fixture("journal");
            d["entries"] = json!(CANARY);
            d
        }),
        (Template::ErasureReply, {
            let mut d = fixture("erasure_reply");
            d["erased"] = json!([{"kind_is_missing": CANARY}]);
            d
        }),
        // The journal's data for the letter template: a different contract.
        (Template::ErasureReply, {
            let mut d = fixture("journal");
            d["client"]["name"] = CANARY.into();
            d
        }),
    ];
    for (template, data) in cases {
        let err = render_err(template, &serde_json::to_vec(&data).expect("json"));
        assert!(matches!(err, Error::Template { at: Some(_), .. }), "{err:?}");
        assert_no_canary(&err);
    }
}
