//! The dev server: build, serve public/ on loopback, watch and rebuild, live reload.
//! (Not built yet.)
