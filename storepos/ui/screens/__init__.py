"""One screen per module.  A module that offers an area registers it with storepos.ui.areas."""
