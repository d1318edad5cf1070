//! Arguments of the practice commands: sessions in the calendar.

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum SessionAction {
    /// Plan a session for a client.
    Plan {
        #[arg(long)]
        client: i64,
        #[command(flatten)]
        details: SessionDetails,
    },
    /// Move or change a planned session (every detail is given again).
    Change {
        id: i64,
        #[command(flatten)]
        details: SessionDetails,
    },
    /// Record whether a session took place: attended, cancelled_in_time, late_cancellation or
    /// no_show. Recorded once.
    Record {
        id: i64,
        #[arg(long = "as")]
        attendance: String,
    },
    /// Remove a planned session (booked by mistake).
    Remove { id: i64 },
    /// Set a session's fee, also after it took place ("950", "1 100,50"; "none" clears it).
    Fee { id: i64, fee: String },
    /// Start the journal entry of an attended session, from a template (soap, dap, birp, free
    /// or user:N); prints the new draft's id.
    Note {
        id: i64,
        #[arg(long)]
        template: Option<String>,
    },
    /// A client's sessions, newest first.
    List {
        #[arg(long)]
        client: i64,
    },
    /// The week (Monday to Sunday) holding a day, every client's sessions.
    Week {
        /// A day of the week (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Sessions with a fee that are not yet invoiced.
    Uninvoiced,
}

/// When, how long, what kind, the fee and the course of a session.
#[derive(Debug, Args)]
pub struct SessionDetails {
    /// Local time "YYYY-MM-DD HH:MM".
    #[arg(long)]
    pub at: String,
    /// Length in minutes.
    #[arg(long, default_value_t = 50)]
    pub minutes: u32,
    /// individual, couple, group, phone or video.
    #[arg(long, default_value = "individual")]
    pub kind: String,
    /// Fee in kronor/euro with up to two decimals ("950", "1 100,50").
    #[arg(long)]
    pub fee: Option<String>,
    /// The course it belongs to.
    #[arg(long)]
    pub course: Option<i64>,
}

#[derive(Debug, Subcommand)]
pub enum MeasureAction {
    /// Record a questionnaire's result: the item answers in order (`-` for one left out), or
    /// the total for an instrument whose items are not shipped.
    Record {
        #[arg(long)]
        client: i64,
        /// phq9, gad7, who5, core10, madrs_s, ors, or one of your own (custom-N).
        #[arg(long)]
        instrument: String,
        /// "1,2,0,3,…".
        #[arg(long, value_delimiter = ',')]
        answers: Vec<String>,
        #[arg(long)]
        total: Option<u32>,
        /// The day it was taken (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
    },
    /// A client's results per instrument, with the change since the first.
    List {
        #[arg(long)]
        client: i64,
    },
    /// Every instrument: the built-in ones, then your own (retired ones marked).
    Instruments,
    /// Define an instrument of your own from a JSON file (name, items, options, min_answer,
    /// max_answer, reversed, scoring "sum" or "total_only", max_score, higher_is_worse, bands,
    /// reliable_change, flag_items), or change one no result has used yet (`--instrument`).
    Define {
        #[arg(long, value_name = "FILE")]
        file: std::path::PathBuf,
        /// custom-N, to change that one.
        #[arg(long)]
        instrument: Option<String>,
    },
    /// Retire an instrument of your own: offered for no new result; its results stay.
    Retire {
        /// custom-N.
        #[arg(long)]
        instrument: String,
    },
}
