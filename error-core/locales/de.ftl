# apierror's built-in messages in German (placeholder: the complete file
# replaces it).
status-400 = Die Anfrage ist ungültig.
status-404 = Die angeforderte Ressource wurde nicht gefunden.
status-500 = Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
apierror--not_found = Die angeforderte Ressource wurde nicht gefunden.
apierror--invalid_json = Der Anfragetext ist kein gültiges JSON.
