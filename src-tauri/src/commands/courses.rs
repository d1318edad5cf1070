//! Courses of treatment of a client.

use chrono::NaiveDate;
use confidant_core::domain::courses::{Course, CourseInput};
use tauri::State;

use crate::state::{AppState, CmdResult};

/// A client's courses.
#[tauri::command]
#[specta::specta]
pub async fn list_courses(state: State<'_, AppState>, client_id: i64) -> CmdResult<Vec<Course>> {
    state.with_vault(move |v| v.list_courses(client_id)).await
}

/// Starts a course for a client.
#[tauri::command]
#[specta::specta]
pub async fn create_course(state: State<'_, AppState>, client_id: i64, input: CourseInput) -> CmdResult<Course> {
    state.with_vault(move |v| v.create_course(client_id, &input)).await
}

/// Closes a course on `end_date` (`YYYY-MM-DD`).
#[tauri::command]
#[specta::specta]
pub async fn close_course(state: State<'_, AppState>, course_id: i64, end_date: NaiveDate) -> CmdResult<Course> {
    state.with_vault(move |v| v.close_course(course_id, end_date)).await
}
