// Attributes and tags the project page uses that @kitajs/html does not declare yet.
declare namespace JSX {
  interface HtmlTag {
    /** The Popover API: "auto" gives light dismiss. */
    popover?: undefined | "" | "auto" | "manual";
    /** Invoker Commands: the id of the element a button controls, and what it does to it. */
    commandfor?: undefined | string;
    command?: undefined | string;
  }
  interface HtmlInputTag {
    /** A file input that picks a folder: each File's webkitRelativePath keeps the folder's tree. */
    webkitdirectory?: undefined | boolean;
  }
  interface IntrinsicElements {
    /** htmx 4: a response part swapped into its own target. */
    "hx-partial": HtmlTag;
  }
}
