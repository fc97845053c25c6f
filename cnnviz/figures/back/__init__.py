"""The backward walk's figures, one module per kind of stage, as the page's views/back/."""
