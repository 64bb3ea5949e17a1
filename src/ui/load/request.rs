use leptos::prelude::*;

use crate::source::request::LoadRequest;

/// The load the page URL asks for (values it refused left out), shared by the load panel, its
/// parts and the source banner. A new load starts whenever it changes.
pub type RequestMemo = Memo<LoadRequest>;
