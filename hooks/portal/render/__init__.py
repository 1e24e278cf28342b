"""From the model to page text: routes, charts, ages and dates, glossary markers, the register (the renderer itself is portal.render.pages)."""
