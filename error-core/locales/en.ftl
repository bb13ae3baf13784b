# apierror's built-in messages in English (placeholder: the complete file
# replaces it).
status-404 = The requested resource was not found.
apierror--not_found = The requested resource was not found.
