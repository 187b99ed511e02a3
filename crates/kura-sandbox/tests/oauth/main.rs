//! The sandbox's authorization server over real loopback HTTP: a browser-like client with a
//! cookie jar drives the login and consent forms, a client talks to the token endpoint.

mod authorize;
mod metadata;
mod modes;
mod revoke;
mod support;
mod token;
